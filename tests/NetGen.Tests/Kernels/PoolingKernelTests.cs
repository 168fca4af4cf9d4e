using System;
using NetGen.Kernels;
using Xunit;

namespace NetGen.Tests.Kernels;

/// <summary>
/// The pooling kernels against the naive loops of <see cref="ConvolutionReference"/>, the max-pool tie rule, overlapping
/// windows, channel ranges, allocation and argument checks.
/// </summary>
public class PoolingKernelTests
{
    private const double Tolerance = 1e-6;

    /// <summary>Valid (C, H, W, size, stride): LeNet's 2 × 2 / 2, overlapping windows (stride &lt; size), odd planes.</summary>
    public static TheoryData<int, int, int, int, int> Geometries()
    {
        var data = new TheoryData<int, int, int, int, int>();
        foreach (int channels in new[] { 1, 3, 6 })
        {
            foreach (var (height, width) in new[] { (24, 24), (8, 8), (7, 5), (9, 13), (6, 10) })
            {
                foreach (int size in new[] { 1, 2, 3 })
                {
                    foreach (int stride in new[] { 1, 2, 3 })
                    {
                        if (size <= Math.Min(height, width) && (height - size) % stride == 0 && (width - size) % stride == 0)
                        {
                            data.Add(channels, height, width, size, stride);
                        }
                    }
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Forward_passes_match_the_naive_loop_and_leave_other_channels_untouched(int channels, int height, int width, int size, int stride)
    {
        var shape = new PoolingShape(channels, height, width, size, stride);
        const int count = 3;
        float[] inputs = KernelReference.Random(count * shape.InputLength, 1);
        foreach (var (first, end) in new[] { (0, channels), (channels / 2, channels), (0, channels / 2) })
        {
            float[] maxOutputs = KernelReference.Random(count * shape.OutputLength, 2), averageOutputs = (float[])maxOutputs.Clone();
            double[] expectedMax = ConvolutionReference.PoolForward(max: true, shape, inputs, count, first, end, maxOutputs);
            double[] expectedAverage = ConvolutionReference.PoolForward(max: false, shape, inputs, count, first, end, averageOutputs);
            PoolingKernels.MaxForwardBatch(shape, inputs, maxOutputs, count, first, end);
            PoolingKernels.AverageForwardBatch(shape, inputs, averageOutputs, count, first, end);

            string what = $"{channels}×{height}×{width} size {size} stride {stride}, channels [{first}, {end})";
            Numeric.AssertClose(expectedMax, maxOutputs, 0, $"MaxForwardBatch {what}");
            Numeric.AssertClose(expectedAverage, averageOutputs, Tolerance, $"AverageForwardBatch {what}");
        }
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Input_delta_passes_match_the_naive_loop_and_overwrite_their_channels_only(int channels, int height, int width, int size, int stride)
    {
        var shape = new PoolingShape(channels, height, width, size, stride);
        const int count = 3;
        float[] inputs = KernelReference.Random(count * shape.InputLength, 1), deltas = KernelReference.Random(count * shape.OutputLength, 3);
        foreach (var (first, end) in new[] { (0, channels), (channels / 2, channels), (0, channels / 2) })
        {
            float[] maxDeltas = KernelReference.Random(count * shape.InputLength, 4), averageDeltas = (float[])maxDeltas.Clone();
            double[] expectedMax = ConvolutionReference.PoolInputDelta(max: true, shape, inputs, deltas, count, first, end, maxDeltas);
            double[] expectedAverage = ConvolutionReference.PoolInputDelta(max: false, shape, inputs, deltas, count, first, end, averageDeltas);
            PoolingKernels.MaxInputDeltaBatch(shape, inputs, deltas, maxDeltas, count, first, end);
            PoolingKernels.AverageInputDeltaBatch(shape, deltas, averageDeltas, count, first, end);

            string what = $"{channels}×{height}×{width} size {size} stride {stride}, channels [{first}, {end})";
            Numeric.AssertClose(expectedMax, maxDeltas, Tolerance, $"MaxInputDeltaBatch {what}");
            Numeric.AssertClose(expectedAverage, averageDeltas, Tolerance, $"AverageInputDeltaBatch {what}");
        }
    }

    /// <summary>
    /// Four 2 × 2 windows: all equal, a single maximum, a tie on the bottom row, and a tie between the top left and the
    /// bottom right. Each δ goes to the first maximum in row-major window order, as PyTorch's CPU max_pool2d.
    /// </summary>
    [Fact]
    public void Max_pooling_sends_the_gradient_to_the_first_maximum_of_a_tie()
    {
        var shape = new PoolingShape(1, 4, 4, 2, 2);
        float[] inputs =
        {
            5, 5, 1, 3,
            5, 5, 3, 2,
            0, 0, -1, -2,
            4, 4, -3, -1,
        };
        float[] deltas = { 10, 20, 30, 40 };
        var outputs = new float[4];
        PoolingKernels.MaxForwardBatch(shape, inputs, outputs, 1, 0, 1);
        Assert.Equal(new float[] { 5, 3, 4, -1 }, outputs);

        var inputDeltas = new float[16];
        Array.Fill(inputDeltas, 7f);
        PoolingKernels.MaxInputDeltaBatch(shape, inputs, deltas, inputDeltas, 1, 0, 1);
        Assert.Equal(
            new float[]
            {
                10, 0, 0, 20,
                0, 0, 0, 0,
                0, 0, 40, 0,
                30, 0, 0, 0,
            },
            inputDeltas);
    }

    [Fact]
    public void Overlapping_windows_add_their_gradients_where_they_share_an_input()
    {
        // 3 × 3 input, 2 × 2 windows at stride 1: the centre 9 is every window's maximum.
        var shape = new PoolingShape(1, 3, 3, 2, 1);
        float[] inputs = { 1, 2, 3, 4, 9, 5, 6, 7, 8 }, deltas = { 1, 2, 3, 4 };
        var inputDeltas = new float[9];
        PoolingKernels.MaxInputDeltaBatch(shape, inputs, deltas, inputDeltas, 1, 0, 1);
        Assert.Equal(new float[] { 0, 0, 0, 0, 10, 0, 0, 0, 0 }, inputDeltas);

        // Average: each input gets a quarter of the δ of every window that covers it.
        PoolingKernels.AverageInputDeltaBatch(shape, deltas, inputDeltas, 1, 0, 1);
        Assert.Equal(new float[] { 0.25f, 0.75f, 0.5f, 1, 2.5f, 1.5f, 0.75f, 1.75f, 1 }, inputDeltas);
        var outputs = new float[4];
        PoolingKernels.AverageForwardBatch(shape, inputs, outputs, 1, 0, 1);
        Assert.Equal(new float[] { 4, 19 / 4f, 26 / 4f, 29 / 4f }, outputs);
    }

    /// <summary>
    /// Inputs from {0, 1, 2, NaN}, so that most windows hold ties or NaNs: the outputs and the routed δ must be those of
    /// PyTorch's scan (first maximum, last NaN) exactly, in the vectorized 2 × 2 / 2 path and its scalar tail (7 outputs
    /// per row) as in the general path (stride 1).
    /// </summary>
    [Theory]
    [InlineData(2)]
    [InlineData(1)]
    public void Max_pooling_follows_the_scan_rule_through_ties_and_NaNs(int stride)
    {
        var shape = new PoolingShape(2, 6, 14, 2, stride);
        const int count = 2;
        float[] choices = { 0f, 1f, 2f, float.NaN };
        var random = new Random(3);
        var inputs = new float[count * shape.InputLength];
        for (int j = 0; j < inputs.Length; j++)
        {
            inputs[j] = choices[random.Next(choices.Length)];
        }

        float[] deltas = KernelReference.Random(count * shape.OutputLength, 4);
        var outputs = new float[count * shape.OutputLength];
        var inputDeltas = new float[count * shape.InputLength];
        PoolingKernels.MaxForwardBatch(shape, inputs, outputs, count, 0, 2);
        PoolingKernels.MaxInputDeltaBatch(shape, inputs, deltas, inputDeltas, count, 0, 2);

        double[] expectedOutputs = ConvolutionReference.PoolForward(max: true, shape, inputs, count, 0, 2, new float[outputs.Length]);
        double[] expectedDeltas = ConvolutionReference.PoolInputDelta(max: true, shape, inputs, deltas, count, 0, 2, new float[inputDeltas.Length]);
        Assert.Equal(Array.ConvertAll(expectedOutputs, v => (float)v), outputs);
        Numeric.AssertClose(expectedDeltas, inputDeltas, Tolerance, $"MaxInputDeltaBatch at stride {stride}");
    }

    [Fact]
    public void Max_pooling_propagates_NaN()
    {
        var shape = new PoolingShape(1, 2, 2, 2, 2);
        var outputs = new float[1];
        PoolingKernels.MaxForwardBatch(shape, new[] { 1f, float.NaN, 3f, 2f }, outputs, 1, 0, 1);
        Assert.True(float.IsNaN(outputs[0]));
    }

    [Fact]
    public void Passes_allocate_nothing()
    {
        var shape = new PoolingShape(6, 24, 24, 2, 2);
        const int count = 4;
        float[] inputs = KernelReference.Random(count * shape.InputLength, 1), deltas = KernelReference.Random(count * shape.OutputLength, 2);
        float[] outputs = new float[count * shape.OutputLength], inputDeltas = new float[count * shape.InputLength];
        SteadyStateAllocation.AssertNone(() => PoolingKernels.MaxForwardBatch(shape, inputs, outputs, count, 0, 6), 20, "MaxForwardBatch");
        SteadyStateAllocation.AssertNone(() => PoolingKernels.MaxInputDeltaBatch(shape, inputs, deltas, inputDeltas, count, 1, 5), 20, "MaxInputDeltaBatch");
        SteadyStateAllocation.AssertNone(() => PoolingKernels.AverageForwardBatch(shape, inputs, outputs, count, 0, 6), 20, "AverageForwardBatch");
        SteadyStateAllocation.AssertNone(() => PoolingKernels.AverageInputDeltaBatch(shape, deltas, inputDeltas, count, 0, 6), 20, "AverageInputDeltaBatch");
    }

    [Fact]
    public void Shape_computes_the_output_sizes()
    {
        var shape = new PoolingShape(6, 24, 22, 2, 2);
        Assert.Equal((12, 11), (shape.OutputHeight, shape.OutputWidth));
        Assert.Equal((528, 132), (shape.InputPlane, shape.OutputPlane));
        Assert.Equal((3168, 792), (shape.InputLength, shape.OutputLength));
    }

    [Theory]
    [InlineData(0, 4, 4, 2, 2, "channels")]
    [InlineData(1, 0, 4, 2, 2, "inputHeight")]
    [InlineData(1, 4, -4, 2, 2, "inputWidth")]
    [InlineData(1, 4, 4, 0, 2, "size")]
    [InlineData(1, 4, 4, 2, 0, "stride")]
    [InlineData(1, 4, 2, 3, 1, "size")]
    [InlineData(1, 5, 5, 2, 2, "stride")]
    [InlineData(1, 4, 5, 2, 2, "stride")]
    public void Shape_rejects_a_bad_geometry_naming_the_argument(int channels, int height, int width, int size, int stride, string name)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => new PoolingShape(channels, height, width, size, stride));
        Assert.Equal(name, exception.ParamName);
    }

    [Fact]
    public void Short_spans_negative_counts_and_bad_ranges_throw_naming_the_parameter()
    {
        var shape = new PoolingShape(3, 4, 4, 2, 2);
        float[] inputs = new float[2 * shape.InputLength], outputs = new float[2 * shape.OutputLength];
        Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => PoolingKernels.MaxForwardBatch(shape, inputs.AsSpan(1), outputs, 2, 0, 3)).ParamName);
        Assert.Equal("outputs", Assert.Throws<ArgumentException>(() => PoolingKernels.AverageForwardBatch(shape, inputs, outputs.AsSpan(1), 2, 0, 3)).ParamName);
        Assert.Equal("count", Assert.Throws<ArgumentException>(() => PoolingKernels.MaxForwardBatch(shape, inputs, outputs, -1, 0, 3)).ParamName);
        Assert.Equal("endChannel", Assert.Throws<ArgumentException>(() => PoolingKernels.MaxForwardBatch(shape, inputs, outputs, 2, 0, 4)).ParamName);
        Assert.Equal("firstChannel", Assert.Throws<ArgumentException>(() => PoolingKernels.AverageForwardBatch(shape, inputs, outputs, 2, 2, 1)).ParamName);
        Assert.Equal("deltas", Assert.Throws<ArgumentException>(() => PoolingKernels.MaxInputDeltaBatch(shape, inputs, outputs.AsSpan(1), inputs, 2, 0, 3)).ParamName);
        Assert.Equal("inputDeltas", Assert.Throws<ArgumentException>(() => PoolingKernels.MaxInputDeltaBatch(shape, inputs, outputs, inputs.AsSpan(1), 2, 0, 3)).ParamName);
        Assert.Equal("inputDeltas", Assert.Throws<ArgumentException>(() => PoolingKernels.AverageInputDeltaBatch(shape, outputs, inputs.AsSpan(1), 2, 0, 3)).ParamName);
        Assert.Equal("endChannel", Assert.Throws<ArgumentException>(() => PoolingKernels.AverageInputDeltaBatch(shape, outputs, inputs, 2, 0, 4)).ParamName);
    }
}
