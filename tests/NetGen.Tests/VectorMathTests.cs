using System;
using System.Numerics;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Tests;

/// <summary>
/// The vectorized functions against double-precision references rounded to float, over every 257th float bit pattern
/// (16.7 million values spread over the whole range, both signs) plus the special values.
/// </summary>
public class VectorMathTests(ITestOutputHelper output)
{
    private const int Stride = 257;

    [Fact]
    public void Exp_is_within_2_ulps_everywhere() =>
        AssertWithin(2, VectorMath.Exp, x => (float)Math.Exp(x), "exp");

    [Fact]
    public void Tanh_is_within_3_ulps_everywhere() =>
        AssertWithin(3, VectorMath.Tanh, x => (float)Math.Tanh(x), "tanh");

    [Fact]
    public void Sigmoid_is_within_3_ulps_everywhere() =>
        AssertWithin(3, VectorMath.Sigmoid, x => (float)(1 / (1 + Math.Exp(-(double)x))), "sigmoid");

    [Fact]
    public void Span_overloads_apply_the_function_to_every_element_including_the_tail()
    {
        float[] values = new float[Vector<float>.Count * 2 + 3];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = i * 0.37f - 4f;
        }

        float[] tanh = (float[])values.Clone(), sigmoid = (float[])values.Clone(), exp = (float[])values.Clone();
        VectorMath.Tanh(tanh);
        VectorMath.Sigmoid(sigmoid);
        VectorMath.Exp(exp);
        for (int i = 0; i < values.Length; i++)
        {
            Assert.Equal(MathF.Tanh(values[i]), tanh[i], 5);
            Assert.Equal(1 / (1 + MathF.Exp(-values[i])), sigmoid[i], 5);
            Assert.Equal(MathF.Exp(values[i]), exp[i], MathF.Exp(values[i]) * 1e-6f);
        }
    }

    private void AssertWithin(long bound, Func<Vector<float>, Vector<float>> function, Func<float, float> reference, string name)
    {
        Span<float> lanes = stackalloc float[Vector<float>.Count];
        long worst = 0;
        float worstInput = 0;
        int filled = 0;
        float[] specials = { 0f, -0f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, float.Epsilon, -float.Epsilon, float.MaxValue, float.MinValue, 88.72f, 88.73f, -87.33f, -103.9f, 0.55f, -0.55f, 0.5499999f };
        void Check(ReadOnlySpan<float> inputs)
        {
            Vector<float> results = function(new Vector<float>(inputs));
            for (int lane = 0; lane < Vector<float>.Count; lane++)
            {
                long distance = UlpDistance(results[lane], reference(inputs[lane]));
                if (distance > worst)
                {
                    worst = distance;
                    worstInput = inputs[lane];
                }
            }
        }

        foreach (float special in specials)
        {
            lanes.Fill(special);
            Check(lanes);
        }

        for (long bits = 0; bits <= uint.MaxValue; bits += Stride)
        {
            lanes[filled++] = BitConverter.UInt32BitsToSingle((uint)bits);
            if (filled == lanes.Length)
            {
                Check(lanes);
                filled = 0;
            }
        }

        output.WriteLine($"{name}: max error {worst} ulps at {worstInput:R}");
        Assert.True(worst <= bound, $"{name}: {worst} ulps at x = {worstInput:R}");
    }

    /// <summary>How many floats lie between a and b; 0 for two NaNs, long.MaxValue for NaN against a number.</summary>
    private static long UlpDistance(float a, float b)
    {
        if (float.IsNaN(a) || float.IsNaN(b))
        {
            return float.IsNaN(a) && float.IsNaN(b) ? 0 : long.MaxValue;
        }

        static long Ordered(float f)
        {
            int bits = BitConverter.SingleToInt32Bits(f);
            return bits < 0 ? (long)int.MinValue - bits : bits;
        }

        return Math.Abs(Ordered(a) - Ordered(b));
    }
}
