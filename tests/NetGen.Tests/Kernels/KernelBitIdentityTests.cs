using System;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using NetGen.Kernels;
using Xunit;

namespace NetGen.Tests.Kernels;

/// <summary>
/// What the trainer's split passes and <c>.ci/run</c>'s digest comparison rely on: a pass split at a multiple of 16
/// columns gives the same bits as one call over the whole range, and each run can record digests of the kernels'
/// results for comparison across vector configurations.
/// </summary>
public class KernelBitIdentityTests
{
    public static TheoryData<int, int, int> SplitShapes() => new()
    {
        // count, layer size the split runs over, the other layer size
        { 7, 16, 9 }, { 9, 33, 17 }, { 67, 64, 31 }, { 5, 100, 130 }, { 13, 130, 64 }, { 4, 48, 3 },
    };

    [Theory]
    [MemberData(nameof(SplitShapes))]
    public void Forward_passes_split_by_outputs_give_the_bits_of_one_call(int count, int outputs, int inputs)
    {
        float[] x = KernelReference.Random(count * inputs, 1), w = KernelReference.Random(inputs * outputs, 2), b = KernelReference.Random(outputs, 3);
        float[] transposed = KernelReference.Transposed(w, inputs, outputs);
        foreach (Activation activation in KernelReference.Activations)
        {
            for (int split = 16; split < outputs; split += 16)
            {
                float[] whole = new float[count * outputs], parts = new float[count * outputs];
                KernelReference.ForwardBatch(activation, x, w, b, whole, count, inputs, outputs, 0, outputs);
                KernelReference.ForwardBatch(activation, x, w, b, parts, count, inputs, outputs, 0, split);
                KernelReference.ForwardBatch(activation, x, w, b, parts, count, inputs, outputs, split, outputs);
                AssertSameBits(whole, parts, $"ForwardBatch<{activation}> split at {split}");

                KernelReference.ForwardBatchTransposed(activation, x, transposed, b, whole, count, inputs, outputs, 0, outputs);
                KernelReference.ForwardBatchTransposed(activation, x, transposed, b, parts, count, inputs, outputs, 0, split);
                KernelReference.ForwardBatchTransposed(activation, x, transposed, b, parts, count, inputs, outputs, split, outputs);
                AssertSameBits(whole, parts, $"ForwardBatchTransposed<{activation}> split at {split}");

                float[] gradients = KernelReference.Random(count * outputs, 4);
                float[] wholeGradients = (float[])gradients.Clone(), partGradients = (float[])gradients.Clone();
                KernelReference.MultiplyByDerivative(activation, whole, wholeGradients, count, outputs, 0, outputs);
                KernelReference.MultiplyByDerivative(activation, whole, partGradients, count, outputs, 0, split);
                KernelReference.MultiplyByDerivative(activation, whole, partGradients, count, outputs, split, outputs);
                AssertSameBits(wholeGradients, partGradients, $"MultiplyByDerivative<{activation}> split at {split}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(SplitShapes))]
    public void Gradients_split_by_outputs_give_the_bits_of_one_call(int count, int outputs, int inputs)
    {
        float[] x = KernelReference.Random(count * inputs, 1), delta = KernelReference.Random(count * outputs, 2);
        float[] weightGradients = KernelReference.Random(inputs * outputs, 3), biasGradients = KernelReference.Random(outputs, 4);
        for (int split = 16; split < outputs; split += 16)
        {
            float[] wholeWeights = (float[])weightGradients.Clone(), wholeBiases = (float[])biasGradients.Clone();
            float[] partWeights = (float[])weightGradients.Clone(), partBiases = (float[])biasGradients.Clone();
            DenseKernels.WeightGradientsBatch(x, delta, wholeWeights, wholeBiases, count, inputs, outputs, 0, outputs);
            DenseKernels.WeightGradientsBatch(x, delta, partWeights, partBiases, count, inputs, outputs, 0, split);
            DenseKernels.WeightGradientsBatch(x, delta, partWeights, partBiases, count, inputs, outputs, split, outputs);
            AssertSameBits(wholeWeights, partWeights, $"WeightGradientsBatch dW split at {split}");
            AssertSameBits(wholeBiases, partBiases, $"WeightGradientsBatch db split at {split}");
        }
    }

    [Theory]
    [MemberData(nameof(SplitShapes))]
    public void Input_deltas_split_by_inputs_give_the_bits_of_one_call(int count, int inputs, int outputs)
    {
        float[] delta = KernelReference.Random(count * outputs, 1), w = KernelReference.Random(inputs * outputs, 2);
        float[] transposed = KernelReference.Transposed(w, inputs, outputs);
        for (int split = 16; split < inputs; split += 16)
        {
            float[] whole = new float[count * inputs], parts = new float[count * inputs];
            DenseKernels.InputDeltaBatch(delta, w, whole, count, inputs, outputs, 0, inputs);
            DenseKernels.InputDeltaBatch(delta, w, parts, count, inputs, outputs, 0, split);
            DenseKernels.InputDeltaBatch(delta, w, parts, count, inputs, outputs, split, inputs);
            AssertSameBits(whole, parts, $"InputDeltaBatch split at {split}");

            DenseKernels.InputDeltaBatchTransposed(delta, transposed, whole, count, inputs, outputs, 0, inputs);
            DenseKernels.InputDeltaBatchTransposed(delta, transposed, parts, count, inputs, outputs, 0, split);
            DenseKernels.InputDeltaBatchTransposed(delta, transposed, parts, count, inputs, outputs, split, inputs);
            AssertSameBits(whole, parts, $"InputDeltaBatchTransposed split at {split}");
        }
    }

    /// <summary>
    /// A digest of every kernel's results for a few shapes. With <c>NETGEN_KERNEL_DIGEST_FILE</c> set the lines are written
    /// there, so that runs in several vector configurations can be compared (the three 8-lane ones must agree bit for bit);
    /// in any run, two passes over the same inputs must give the same digests.
    /// </summary>
    [Fact]
    public void Kernel_results_are_recorded_as_digests_for_comparison_across_configurations()
    {
        string first = Digests(), second = Digests();
        Assert.Equal(first, second);
        if (Environment.GetEnvironmentVariable("NETGEN_KERNEL_DIGEST_FILE") is { Length: > 0 } path)
        {
            File.WriteAllText(path, first);
        }
    }

    private static string Digests()
    {
        var lines = new StringBuilder();
        (int Count, int Inputs, int Outputs)[] shapes = { (37, 130, 100), (9, 33, 17), (67, 64, 10), (5, 7, 130) };
        foreach (var (count, inputs, outputs) in shapes)
        {
            float[] x = KernelReference.Random(count * inputs, 1), w = KernelReference.Random(inputs * outputs, 2), b = KernelReference.Random(outputs, 3);
            float[] delta = KernelReference.Random(count * outputs, 4);
            float[] transposed = KernelReference.Transposed(w, inputs, outputs);
            var results = new StringBuilder();
            foreach (Activation activation in KernelReference.Activations)
            {
                var a = new float[count * outputs];
                KernelReference.ForwardBatch(activation, x, w, b, a, count, inputs, outputs, 0, outputs);
                results.Append(CultureInfo.InvariantCulture, $" forward-{activation} {Digest(a)}");
                KernelReference.ForwardBatchTransposed(activation, x, transposed, b, a, count, inputs, outputs, 0, outputs);
                results.Append(CultureInfo.InvariantCulture, $" transposed-{activation} {Digest(a)}");
                KernelReference.Forward(activation, x, w, b, a, inputs, outputs);
                results.Append(CultureInfo.InvariantCulture, $" one-{activation} {Digest(a.AsSpan(0, outputs))}");
                float[] gradients = (float[])delta.Clone();
                KernelReference.MultiplyByDerivative(activation, a, gradients);
                results.Append(CultureInfo.InvariantCulture, $" derivative-{activation} {Digest(gradients)}");
            }

            float[] weightGradients = new float[inputs * outputs], biasGradients = new float[outputs];
            DenseKernels.WeightGradientsBatch(x, delta, weightGradients, biasGradients, count, inputs, outputs, 0, outputs);
            results.Append(CultureInfo.InvariantCulture, $" dW {Digest(weightGradients)} db {Digest(biasGradients)}");
            var inputDelta = new float[count * inputs];
            DenseKernels.InputDeltaBatch(delta, w, inputDelta, count, inputs, outputs, 0, inputs);
            results.Append(CultureInfo.InvariantCulture, $" dx {Digest(inputDelta)}");
            DenseKernels.InputDeltaBatchTransposed(delta, transposed, inputDelta, count, inputs, outputs, 0, inputs);
            results.Append(CultureInfo.InvariantCulture, $" dx-transposed {Digest(inputDelta)}");
            DenseKernels.Backward(x, w, delta, weightGradients, biasGradients, inputDelta, inputs, outputs);
            results.Append(CultureInfo.InvariantCulture, $" backward {Digest(weightGradients)} {Digest(biasGradients)} {Digest(inputDelta.AsSpan(0, inputs))}");
            lines.Append(CultureInfo.InvariantCulture, $"{count}x{inputs}->{outputs}{results}\n");
        }

        return lines.ToString();
    }

    private static string Digest(ReadOnlySpan<float> values) => Convert.ToHexString(SHA256.HashData(MemoryMarshal.AsBytes(values)))[..16];

    private static void AssertSameBits(float[] expected, float[] actual, string what)
    {
        for (int j = 0; j < expected.Length; j++)
        {
            if (BitConverter.SingleToInt32Bits(expected[j]) != BitConverter.SingleToInt32Bits(actual[j]))
            {
                Assert.Fail($"{what}: [{j}] is {actual[j]:R}, one call gives {expected[j]:R}");
            }
        }
    }
}
