using System;
using System.Collections.Generic;
using NetGen.Kernels;
using Xunit;

namespace NetGen.Tests.Kernels;

/// <summary>
/// The Conv2D kernels against the naive loops of <see cref="ConvolutionReference"/> over geometries with 1, 3 and 6
/// channels, odd planes, kernels 1, 3 and 5, strides 1 to 3 and paddings 0 to 2, filter counts on either side of the
/// 4-filter tiles and pixel counts on either side of 4-, 8- and 16-lane vectors; a hand-worked example; and the
/// contracts a generated layer relies on (ranges, accumulation, no allocation, argument checks).
/// </summary>
public class ConvolutionKernelTests
{
    private const double Tolerance = 1e-5;

    private static readonly int[] FilterCounts = { 1, 2, 3, 5, 8, 17 };

    /// <summary>Every valid (C, H, W, K, S, P) of the lists below; the activation rotates so each meets many geometries.</summary>
    public static TheoryData<int, int, int, int, int, int> Geometries()
    {
        var data = new TheoryData<int, int, int, int, int, int>();
        foreach (int channels in new[] { 1, 3, 6 })
        {
            foreach (var (height, width) in new[] { (7, 5), (8, 8), (6, 11), (12, 12) })
            {
                foreach (int kernel in new[] { 1, 3, 5 })
                {
                    foreach (int stride in new[] { 1, 2, 3 })
                    {
                        foreach (int padding in new[] { 0, 1, 2 })
                        {
                            int paddedHeight = height + 2 * padding, paddedWidth = width + 2 * padding;
                            if (kernel <= Math.Min(paddedHeight, paddedWidth) && (paddedHeight - kernel) % stride == 0 && (paddedWidth - kernel) % stride == 0)
                            {
                                data.Add(channels, height, width, kernel, stride, padding);
                            }
                        }
                    }
                }
            }
        }

        return data;
    }

    /// <summary>LeNet-5's two convolutions and a padded 3 × 3 one, whose planes (576, 64, 100 pixels) fill whole and partial vectors.</summary>
    public static TheoryData<Activation, int, int, int, int, int> LeNetShapesAndActivations()
    {
        var data = new TheoryData<Activation, int, int, int, int, int>();
        foreach (Activation activation in KernelReference.Activations)
        {
            data.Add(activation, 1, 28, 6, 5, 0);
            data.Add(activation, 6, 12, 16, 5, 0);
            data.Add(activation, 3, 10, 7, 3, 1);
        }

        return data;
    }

    /// <summary>The whole range, one without its first element, and one that starts and ends inside.</summary>
    private static IEnumerable<(int First, int End)> Ranges(int size)
    {
        yield return (0, size);
        yield return (Math.Min(1, size), size);
        yield return (size / 3, size - size / 4);
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void ForwardBatch_matches_the_naive_loop_and_leaves_other_filters_untouched(int channels, int height, int width, int kernel, int stride, int padding)
    {
        int geometry = channels + height + kernel * 3 + stride * 7 + padding * 11;
        foreach (int filters in FilterCounts)
        {
            var shape = new ConvolutionShape(channels, height, width, filters, kernel, stride, padding);
            Activation activation = KernelReference.Activations[(geometry + filters) % KernelReference.Activations.Length];
            CheckForward(activation, shape, count: 1 + filters % 3);
        }
    }

    [Theory]
    [MemberData(nameof(LeNetShapesAndActivations))]
    public void ForwardBatch_matches_the_naive_loop_for_every_activation(Activation activation, int channels, int size, int filters, int kernel, int padding)
    {
        var shape = new ConvolutionShape(channels, size, size, filters, kernel, 1, padding);
        CheckForward(activation, shape, count: 3);
    }

    private static void CheckForward(Activation activation, in ConvolutionShape shape, int count)
    {
        float[] inputs = KernelReference.Random(count * shape.InputLength, 1);
        float[] weights = KernelReference.Random(shape.WeightCount, 2), biases = KernelReference.Random(shape.Filters, 3);
        float[] scratch = KernelReference.Random(shape.ScratchLength, 4);
        foreach (var (first, end) in Ranges(shape.Filters))
        {
            float[] outputs = KernelReference.Random(count * shape.OutputLength, 5);
            double[] expected = ConvolutionReference.Forward(activation, shape, inputs, weights, biases, count, first, end, outputs);
            ConvolutionReference.ForwardBatch(activation, shape, inputs, weights, biases, outputs, scratch, count, first, end);
            Numeric.AssertClose(expected, outputs, Tolerance, $"ForwardBatch<{activation}> {Describe(shape)} × {count}, filters [{first}, {end})");
        }
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void WeightGradientsBatch_adds_the_naive_sums_to_the_gradients_of_its_filters_only(int channels, int height, int width, int kernel, int stride, int padding)
    {
        foreach (int filters in FilterCounts)
        {
            var shape = new ConvolutionShape(channels, height, width, filters, kernel, stride, padding);
            int count = 1 + filters % 3;
            float[] inputs = KernelReference.Random(count * shape.InputLength, 1), deltas = KernelReference.Random(count * shape.OutputLength, 2);
            float[] scratch = KernelReference.Random(shape.ScratchLength, 4);
            foreach (var (first, end) in Ranges(filters))
            {
                // Gradients start from non-zero values: the kernel adds to them.
                float[] weightGradients = KernelReference.Random(shape.WeightCount, 6), biasGradients = KernelReference.Random(filters, 7);
                var (expectedWeights, expectedBiases) = ConvolutionReference.Gradients(shape, inputs, deltas, weightGradients, biasGradients, count, first, end);
                ConvolutionKernels.WeightGradientsBatch(shape, inputs, deltas, weightGradients, biasGradients, scratch, count, first, end);

                string what = $"WeightGradientsBatch {Describe(shape)} × {count}, filters [{first}, {end})";
                Numeric.AssertClose(expectedWeights, weightGradients, Tolerance, $"{what}: dW");
                Numeric.AssertClose(expectedBiases, biasGradients, Tolerance, $"{what}: db");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void InputDeltaBatch_overwrites_its_channels_with_the_naive_sums(int channels, int height, int width, int kernel, int stride, int padding)
    {
        foreach (int filters in FilterCounts)
        {
            var shape = new ConvolutionShape(channels, height, width, filters, kernel, stride, padding);
            int count = 1 + filters % 3;
            float[] deltas = KernelReference.Random(count * shape.OutputLength, 2), weights = KernelReference.Random(shape.WeightCount, 3);
            float[] scratch = KernelReference.Random(shape.ScratchLength, 4);
            foreach (var (first, end) in Ranges(channels))
            {
                float[] inputDeltas = KernelReference.Random(count * shape.InputLength, 5);
                double[] expected = ConvolutionReference.InputDelta(shape, deltas, weights, count, first, end, inputDeltas);
                ConvolutionKernels.InputDeltaBatch(shape, deltas, weights, inputDeltas, scratch, count, first, end);
                Numeric.AssertClose(expected, inputDeltas, Tolerance, $"InputDeltaBatch {Describe(shape)} × {count}, channels [{first}, {end})");
            }
        }
    }

    [Theory]
    [MemberData(nameof(LeNetShapesAndActivations))]
    public void A_pass_split_by_filters_or_channels_gives_the_same_bits_as_a_whole_one(Activation activation, int channels, int size, int filters, int kernel, int padding)
    {
        var shape = new ConvolutionShape(channels, size, size, filters, kernel, 1, padding);
        const int count = 5;
        float[] inputs = KernelReference.Random(count * shape.InputLength, 1), deltas = KernelReference.Random(count * shape.OutputLength, 2);
        float[] weights = KernelReference.Random(shape.WeightCount, 3), biases = KernelReference.Random(filters, 4);
        var scratch = new float[shape.ScratchLength];
        int middleFilter = filters / 2, middleChannel = channels / 2;

        float[] whole = new float[count * shape.OutputLength], split = new float[whole.Length];
        ConvolutionReference.ForwardBatch(activation, shape, inputs, weights, biases, whole, scratch, count, 0, filters);
        ConvolutionReference.ForwardBatch(activation, shape, inputs, weights, biases, split, scratch, count, middleFilter, filters);
        ConvolutionReference.ForwardBatch(activation, shape, inputs, weights, biases, split, scratch, count, 0, middleFilter);
        Assert.Equal(whole, split);

        float[] wholeWeights = new float[shape.WeightCount], splitWeights = new float[shape.WeightCount];
        float[] wholeBiases = new float[filters], splitBiases = new float[filters];
        ConvolutionKernels.WeightGradientsBatch(shape, inputs, deltas, wholeWeights, wholeBiases, scratch, count, 0, filters);
        ConvolutionKernels.WeightGradientsBatch(shape, inputs, deltas, splitWeights, splitBiases, scratch, count, middleFilter, filters);
        ConvolutionKernels.WeightGradientsBatch(shape, inputs, deltas, splitWeights, splitBiases, scratch, count, 0, middleFilter);
        Assert.Equal(wholeWeights, splitWeights);
        Assert.Equal(wholeBiases, splitBiases);

        float[] wholeDeltas = new float[count * shape.InputLength], splitDeltas = new float[wholeDeltas.Length];
        ConvolutionKernels.InputDeltaBatch(shape, deltas, weights, wholeDeltas, scratch, count, 0, channels);
        ConvolutionKernels.InputDeltaBatch(shape, deltas, weights, splitDeltas, scratch, count, middleChannel, channels);
        ConvolutionKernels.InputDeltaBatch(shape, deltas, weights, splitDeltas, scratch, count, 0, middleChannel);
        Assert.Equal(wholeDeltas, splitDeltas);
    }

    /// <summary>
    /// in = 1..16 row by row (4 × 4), W = [[1, 2], [3, 4]], b = 1: each output is a + 2b + 3c + 4d + 1 for its window
    /// [a b; c d], 44 + 1 at the top left, +10 per step right and +40 per step down at stride 1.
    /// </summary>
    [Fact]
    public void Single_channel_4x4_example_worked_by_hand_at_stride_1()
    {
        var shape = new ConvolutionShape(1, 4, 4, 1, 2, 1, 0);
        float[] inputs = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 }, weights = { 1, 2, 3, 4 }, biases = { 1 };
        var scratch = new float[shape.ScratchLength];
        var outputs = new float[9];
        ConvolutionKernels.ForwardBatch<IdentityActivation>(shape, inputs, weights, biases, outputs, scratch, 1, 0, 1);
        Assert.Equal(new float[] { 45, 55, 65, 85, 95, 105, 125, 135, 145 }, outputs);

        // δ = 1 everywhere: dW[ky, kx] sums the 3 × 3 block of inputs at (ky, kx); db counts the outputs.
        float[] deltas = { 1, 1, 1, 1, 1, 1, 1, 1, 1 };
        float[] weightGradients = { 0.5f, 0, 0, 0 }, biasGradients = { 0.25f };
        ConvolutionKernels.WeightGradientsBatch(shape, inputs, deltas, weightGradients, biasGradients, scratch, 1, 0, 1);
        Assert.Equal(new float[] { 54.5f, 63, 90, 99 }, weightGradients);
        Assert.Equal(new float[] { 9.25f }, biasGradients);

        // dX[y, x] sums the weights of every window position covering (y, x).
        var inputDeltas = new float[16];
        Array.Fill(inputDeltas, 99f);
        ConvolutionKernels.InputDeltaBatch(shape, deltas, weights, inputDeltas, scratch, 1, 0, 1);
        Assert.Equal(new float[] { 1, 3, 3, 2, 4, 10, 10, 6, 4, 10, 10, 6, 3, 7, 7, 4 }, inputDeltas);
    }

    /// <summary>The example above at stride 2: four windows that do not overlap.</summary>
    [Fact]
    public void Single_channel_4x4_example_worked_by_hand_at_stride_2()
    {
        var shape = new ConvolutionShape(1, 4, 4, 1, 2, 2, 0);
        float[] inputs = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 }, weights = { 1, 2, 3, 4 }, biases = { 1 };
        var scratch = new float[shape.ScratchLength];
        var outputs = new float[4];
        ConvolutionKernels.ForwardBatch<ReLUActivation>(shape, inputs, weights, biases, outputs, scratch, 1, 0, 1);
        Assert.Equal(new float[] { 45, 65, 125, 145 }, outputs);

        // δ = [[1, 0], [0, 2]]: dW = 1·(top-left window) + 2·(bottom-right window) = [[1 + 22, 2 + 24], [5 + 30, 6 + 32]].
        float[] deltas = { 1, 0, 0, 2 };
        float[] weightGradients = new float[4], biasGradients = new float[1];
        ConvolutionKernels.WeightGradientsBatch(shape, inputs, deltas, weightGradients, biasGradients, scratch, 1, 0, 1);
        Assert.Equal(new float[] { 23, 26, 35, 38 }, weightGradients);
        Assert.Equal(new float[] { 3 }, biasGradients);

        // Each window receives its δ times W; the two windows with δ = 0 receive zeros.
        var inputDeltas = new float[16];
        Array.Fill(inputDeltas, -7f);
        ConvolutionKernels.InputDeltaBatch(shape, deltas, weights, inputDeltas, scratch, 1, 0, 1);
        Assert.Equal(new float[] { 1, 2, 0, 0, 3, 4, 0, 0, 0, 0, 2, 4, 0, 0, 6, 8 }, inputDeltas);
    }

    [Fact]
    public void Deferred_activations_apply_to_the_filters_of_the_range_only()
    {
        var shape = new ConvolutionShape(1, 4, 4, 3, 2, 1, 0);
        float[] inputs = KernelReference.Random(shape.InputLength, 1), weights = KernelReference.Random(shape.WeightCount, 2);
        float[] biases = KernelReference.Random(3, 3), scratch = new float[shape.ScratchLength];
        var outputs = new float[shape.OutputLength];
        Array.Fill(outputs, 5f);
        ConvolutionKernels.ForwardBatch<SigmoidActivation>(shape, inputs, weights, biases, outputs, scratch, 1, 1, 2);
        Assert.All(outputs[..9], v => Assert.Equal(5f, v));
        Assert.All(outputs[9..18], v => Assert.InRange(v, 0f, 1f));
        Assert.All(outputs[18..], v => Assert.Equal(5f, v));
    }

    [Fact]
    public void Passes_allocate_nothing()
    {
        var shape = new ConvolutionShape(6, 12, 12, 16, 5, 1, 0);
        const int count = 3;
        float[] inputs = KernelReference.Random(count * shape.InputLength, 1), deltas = KernelReference.Random(count * shape.OutputLength, 2);
        float[] weights = KernelReference.Random(shape.WeightCount, 3), biases = KernelReference.Random(16, 4);
        float[] outputs = new float[count * shape.OutputLength], inputDeltas = new float[count * shape.InputLength];
        float[] weightGradients = new float[shape.WeightCount], biasGradients = new float[16], scratch = new float[shape.ScratchLength];
        SteadyStateAllocation.AssertNone(() => ConvolutionKernels.ForwardBatch<ReLUActivation>(shape, inputs, weights, biases, outputs, scratch, count, 0, 16), 20, "ForwardBatch<ReLU>");
        SteadyStateAllocation.AssertNone(() => ConvolutionKernels.ForwardBatch<TanhActivation>(shape, inputs, weights, biases, outputs, scratch, count, 3, 11), 20, "ForwardBatch<Tanh>");
        SteadyStateAllocation.AssertNone(() => ConvolutionKernels.WeightGradientsBatch(shape, inputs, deltas, weightGradients, biasGradients, scratch, count, 0, 16), 20, "WeightGradientsBatch");
        SteadyStateAllocation.AssertNone(() => ConvolutionKernels.InputDeltaBatch(shape, deltas, weights, inputDeltas, scratch, count, 1, 6), 20, "InputDeltaBatch");
    }

    [Fact]
    public void Shape_computes_the_output_and_buffer_sizes()
    {
        var shape = new ConvolutionShape(6, 12, 10, 16, 5, 1, 2);
        Assert.Equal((12, 10), (shape.OutputHeight, shape.OutputWidth));
        Assert.Equal((120, 120), (shape.InputPlane, shape.OutputPlane));
        Assert.Equal((720, 1920), (shape.InputLength, shape.OutputLength));
        Assert.Equal((150, 2400), (shape.PatchLength, shape.WeightCount));
        Assert.True(shape.ScratchLength >= shape.PatchLength * shape.OutputPlane);

        var strided = new ConvolutionShape(1, 7, 5, 1, 3, 2, 0);
        Assert.Equal((3, 2), (strided.OutputHeight, strided.OutputWidth));
    }

    [Theory]
    [InlineData(0, 4, 4, 1, 2, 1, 0, "inputChannels")]
    [InlineData(1, 0, 4, 1, 2, 1, 0, "inputHeight")]
    [InlineData(1, 4, -1, 1, 2, 1, 0, "inputWidth")]
    [InlineData(1, 4, 4, 0, 2, 1, 0, "filters")]
    [InlineData(1, 4, 4, 1, 0, 1, 0, "kernelSize")]
    [InlineData(1, 4, 4, 1, 2, 0, 0, "stride")]
    [InlineData(1, 4, 4, 1, 2, 1, -1, "padding")]
    [InlineData(1, 4, 4, 1, 7, 1, 1, "kernelSize")]
    [InlineData(1, 4, 6, 1, 5, 1, 0, "kernelSize")]
    [InlineData(1, 5, 5, 1, 2, 2, 0, "stride")]
    [InlineData(1, 4, 5, 1, 2, 2, 0, "stride")]
    public void Shape_rejects_a_bad_geometry_naming_the_argument(int channels, int height, int width, int filters, int kernel, int stride, int padding, string name)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => new ConvolutionShape(channels, height, width, filters, kernel, stride, padding));
        Assert.Equal(name, exception.ParamName);
    }

    [Fact]
    public void Short_spans_negative_counts_and_bad_ranges_throw_naming_the_parameter()
    {
        var shape = new ConvolutionShape(2, 5, 5, 3, 3, 1, 1);
        const int count = 2;
        float[] inputs = new float[count * shape.InputLength], outputs = new float[count * shape.OutputLength];
        float[] weights = new float[shape.WeightCount], biases = new float[3], scratch = new float[shape.ScratchLength];
        Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => ConvolutionKernels.ForwardBatch<ReLUActivation>(shape, inputs.AsSpan(1), weights, biases, outputs, scratch, count, 0, 3)).ParamName);
        Assert.Equal("outputs", Assert.Throws<ArgumentException>(() => ConvolutionKernels.ForwardBatch<ReLUActivation>(shape, inputs, weights, biases, outputs.AsSpan(1), scratch, count, 0, 3)).ParamName);
        Assert.Equal("weights", Assert.Throws<ArgumentException>(() => ConvolutionKernels.ForwardBatch<ReLUActivation>(shape, inputs, weights.AsSpan(1), biases, outputs, scratch, count, 0, 3)).ParamName);
        Assert.Equal("biases", Assert.Throws<ArgumentException>(() => ConvolutionKernels.ForwardBatch<ReLUActivation>(shape, inputs, weights, biases.AsSpan(1), outputs, scratch, count, 0, 3)).ParamName);
        Assert.Equal("scratch", Assert.Throws<ArgumentException>(() => ConvolutionKernels.ForwardBatch<ReLUActivation>(shape, inputs, weights, biases, outputs, scratch.AsSpan(1), count, 0, 3)).ParamName);
        Assert.Equal("count", Assert.Throws<ArgumentException>(() => ConvolutionKernels.ForwardBatch<ReLUActivation>(shape, inputs, weights, biases, outputs, scratch, -1, 0, 3)).ParamName);
        Assert.Equal("endFilter", Assert.Throws<ArgumentException>(() => ConvolutionKernels.ForwardBatch<ReLUActivation>(shape, inputs, weights, biases, outputs, scratch, count, 0, 4)).ParamName);
        Assert.Equal("firstFilter", Assert.Throws<ArgumentException>(() => ConvolutionKernels.ForwardBatch<ReLUActivation>(shape, inputs, weights, biases, outputs, scratch, count, 2, 1)).ParamName);
        Assert.Equal("deltas", Assert.Throws<ArgumentException>(() => ConvolutionKernels.WeightGradientsBatch(shape, inputs, outputs.AsSpan(1), weights, biases, scratch, count, 0, 3)).ParamName);
        Assert.Equal("weightGradients", Assert.Throws<ArgumentException>(() => ConvolutionKernels.WeightGradientsBatch(shape, inputs, outputs, weights.AsSpan(1), biases, scratch, count, 0, 3)).ParamName);
        Assert.Equal("biasGradients", Assert.Throws<ArgumentException>(() => ConvolutionKernels.WeightGradientsBatch(shape, inputs, outputs, weights, biases.AsSpan(1), scratch, count, 0, 3)).ParamName);
        Assert.Equal("endFilter", Assert.Throws<ArgumentException>(() => ConvolutionKernels.WeightGradientsBatch(shape, inputs, outputs, weights, biases, scratch, count, 0, 4)).ParamName);
        Assert.Equal("inputDeltas", Assert.Throws<ArgumentException>(() => ConvolutionKernels.InputDeltaBatch(shape, outputs, weights, inputs.AsSpan(1), scratch, count, 0, 2)).ParamName);
        Assert.Equal("scratch", Assert.Throws<ArgumentException>(() => ConvolutionKernels.InputDeltaBatch(shape, outputs, weights, inputs, scratch.AsSpan(1), count, 0, 2)).ParamName);
        Assert.Equal("endChannel", Assert.Throws<ArgumentException>(() => ConvolutionKernels.InputDeltaBatch(shape, outputs, weights, inputs, scratch, count, 0, 3)).ParamName);
        Assert.Equal("firstChannel", Assert.Throws<ArgumentException>(() => ConvolutionKernels.InputDeltaBatch(shape, outputs, weights, inputs, scratch, count, -1, 2)).ParamName);
    }

    private static string Describe(in ConvolutionShape shape) =>
        $"{shape.InputChannels}×{shape.InputHeight}×{shape.InputWidth} → {shape.Filters} filters {shape.KernelSize}×{shape.KernelSize} stride {shape.Stride} padding {shape.Padding}";
}
