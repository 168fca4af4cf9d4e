using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NetGen;

/// <summary>
/// Vectorized e^x, tanh and sigmoid for generated layers. Each lane agrees with the exact value to within the bound
/// in its documentation over the whole float range, including subnormal results, ±∞ and NaN (tested in
/// <c>VectorMathTests</c>, which samples every 257th float bit pattern).
/// </summary>
public static class VectorMath
{
    private const float Log2E = 1.44269504088896341f;

    // ln 2 split so that n·Ln2High is exact for |n| ≤ 2^9 (Cody–Waite reduction).
    private const float Ln2High = 0.693359375f;
    private const float Ln2Low = -2.12194440e-4f;

    // Adding then subtracting 1.5·2^23 rounds a float of magnitude below 2^22 to the nearest integer.
    private const float RoundingShift = 12582912f;

    /// <summary>
    /// e^x for every lane, within 2 ulps of the exact value (1 measured): reduced to 2^n·e^r with |r| ≤ ln2/2, e^r from a
    /// degree-8 Taylor polynomial, 2^n applied in two halves so that subnormal results round once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Exp(Vector<float> x)
    {
        Vector<float> clamped = Vector.Min(Vector.Max(x, new Vector<float>(-104f)), new Vector<float>(89f));
        Vector<float> n = MultiplyAdd(clamped, new Vector<float>(Log2E), new Vector<float>(RoundingShift)) - new Vector<float>(RoundingShift);
        Vector<float> r = MultiplyAdd(n, new Vector<float>(-Ln2High), clamped);
        r = MultiplyAdd(n, new Vector<float>(-Ln2Low), r);

        Vector<float> p = MultiplyAdd(r, new Vector<float>(1f / 40320f), new Vector<float>(1f / 5040f));
        p = MultiplyAdd(r, p, new Vector<float>(1f / 720f));
        p = MultiplyAdd(r, p, new Vector<float>(1f / 120f));
        p = MultiplyAdd(r, p, new Vector<float>(1f / 24f));
        p = MultiplyAdd(r, p, new Vector<float>(1f / 6f));
        p = MultiplyAdd(r, p, new Vector<float>(0.5f));
        p = MultiplyAdd(r, p, Vector<float>.One);
        p = MultiplyAdd(r, p, Vector<float>.One);

        Vector<int> exponent = Vector.ConvertToInt32(n);
        Vector<int> half = Vector.ShiftRightArithmetic(exponent, 1);
        Vector<float> result = p * PowerOfTwo(half) * PowerOfTwo(exponent - half);

        // Min and Max drop NaN on x86, so NaN lanes are put back.
        return Vector.ConditionalSelect(Vector.Equals(x, x), result, x);
    }

    /// <summary>
    /// tanh x for every lane, within 3 ulps of the exact value (2 measured): tanh|x| = m / (m + 2) with m = e^{2|x|} − 1, the sign
    /// copied back. m comes from 2^n·(1 + q) − 1 with q = e^r − 1 from its degree-7 Taylor polynomial, so there is no
    /// cancellation near 0 and one path serves the whole range, with a single division.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Tanh(Vector<float> x)
    {
        // Beyond 2|x| = 20, tanh rounds to 1; the clamp keeps 2^n finite.
        Vector<float> twice = Vector.Min(Vector.Abs(x) * new Vector<float>(2f), new Vector<float>(20f));
        Vector<float> n = MultiplyAdd(twice, new Vector<float>(Log2E), new Vector<float>(RoundingShift)) - new Vector<float>(RoundingShift);
        Vector<float> r = MultiplyAdd(n, new Vector<float>(-Ln2High), twice);
        r = MultiplyAdd(n, new Vector<float>(-Ln2Low), r);

        Vector<float> p = MultiplyAdd(r, new Vector<float>(1f / 5040f), new Vector<float>(1f / 720f));
        p = MultiplyAdd(r, p, new Vector<float>(1f / 120f));
        p = MultiplyAdd(r, p, new Vector<float>(1f / 24f));
        p = MultiplyAdd(r, p, new Vector<float>(1f / 6f));
        p = MultiplyAdd(r, p, new Vector<float>(0.5f));
        Vector<float> q = MultiplyAdd(r * r, p, r);

        Vector<float> scale = PowerOfTwo(Vector.ConvertToInt32(n));
        Vector<float> m = MultiplyAdd(scale, q, scale - Vector<float>.One);
        Vector<float> magnitude = m / (m + new Vector<float>(2f));
        Vector<float> signed = Vector.AsVectorSingle(Vector.AsVectorInt32(magnitude) | (Vector.AsVectorInt32(x) & new Vector<int>(int.MinValue)));

        // Min drops NaN on x86, so NaN lanes are put back.
        return Vector.ConditionalSelect(Vector.Equals(x, x), signed, x);
    }

    /// <summary>
    /// 1 / (1 + e^−x) for every lane, within 3 ulps of the exact value (3 measured): evaluated as e^x / (1 + e^x) for negative x, so
    /// that e^−x never overflows and tiny results keep their precision.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Sigmoid(Vector<float> x)
    {
        Vector<float> e = Exp(-Vector.Abs(x));
        Vector<float> positive = Vector<float>.One / (Vector<float>.One + e);
        return Vector.ConditionalSelect(Vector.LessThan(x, Vector<float>.Zero), e * positive, positive);
    }

    /// <summary>Replaces every value with its tanh.</summary>
    public static void Tanh(Span<float> values)
    {
        Span<Vector<float>> vectors = MemoryMarshal.Cast<float, Vector<float>>(values);
        for (int i = 0; i < vectors.Length; i++)
        {
            vectors[i] = Tanh(vectors[i]);
        }

        Tail(values, vectors.Length * Vector<float>.Count, static v => Tanh(v));
    }

    /// <summary>Replaces every value with its sigmoid.</summary>
    public static void Sigmoid(Span<float> values)
    {
        Span<Vector<float>> vectors = MemoryMarshal.Cast<float, Vector<float>>(values);
        for (int i = 0; i < vectors.Length; i++)
        {
            vectors[i] = Sigmoid(vectors[i]);
        }

        Tail(values, vectors.Length * Vector<float>.Count, static v => Sigmoid(v));
    }

    /// <summary>Replaces every value with e^value.</summary>
    public static void Exp(Span<float> values)
    {
        Span<Vector<float>> vectors = MemoryMarshal.Cast<float, Vector<float>>(values);
        for (int i = 0; i < vectors.Length; i++)
        {
            vectors[i] = Exp(vectors[i]);
        }

        Tail(values, vectors.Length * Vector<float>.Count, static v => Exp(v));
    }

    /// <summary>
    /// a·b + c, fused where the hardware fuses (FMA3, Arm64) and the framework has it (.NET 9+): one rounding instead of
    /// two, and half the instructions in the polynomial chains that bound these functions' latency. Elsewhere a multiply
    /// and an add, not a fused multiply-add computed in software: in a NativeAOT build for the default x86-64-v2 target
    /// that took 154 µs per MNIST image. <c>MultiplyAddEstimate</c> makes that choice without a branch in the IL: with
    /// one in each of tanh's dozen multiply-adds the JIT stopped inlining them, and W3 (16-32-32-1, two tanh layers)
    /// went from 104 to 251 ns.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> MultiplyAdd(Vector<float> a, Vector<float> b, Vector<float> c) =>
#if NET9_0_OR_GREATER
        Vector.MultiplyAddEstimate(a, b, c);
#else
        a * b + c;
#endif

    /// <summary>2^exponent for exponents in [−126, 127].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> PowerOfTwo(Vector<int> exponent) =>
        Vector.AsVectorSingle(Vector.ShiftLeft(exponent + new Vector<int>(127), 23));

    /// <summary>The last values that do not fill a vector go through the same lane function, so every element agrees.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tail(Span<float> values, int start, Func<Vector<float>, Vector<float>> function)
    {
        if (start == values.Length)
        {
            return;
        }

        Span<float> lanes = stackalloc float[Vector<float>.Count];
        lanes.Clear();
        values[start..].CopyTo(lanes);
        function(new Vector<float>(lanes)).CopyTo(lanes);
        lanes[..(values.Length - start)].CopyTo(values[start..]);
    }
}
