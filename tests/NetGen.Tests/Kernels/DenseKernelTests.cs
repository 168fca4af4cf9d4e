using System;
using System.Collections.Generic;
using NetGen.Kernels;
using Xunit;

namespace NetGen.Tests.Kernels;

/// <summary>
/// Every Dense kernel against the naive double-precision loops of <see cref="KernelReference"/>, over sizes on either side
/// of every tile width at 4, 8 and 16 lanes, batch counts on either side of the 4-sample tiles, and column ranges that
/// start and end at odd places. Elements outside a range must keep their values.
/// </summary>
public class DenseKernelTests
{
    private const double Tolerance = 1e-5;

    public static readonly int[] Sizes = { 1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 64, 100, 130 };

    public static readonly int[] Counts = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 67 };

    public static TheoryData<Activation, int> ActivationsAndSizes()
    {
        var data = new TheoryData<Activation, int>();
        foreach (Activation activation in KernelReference.Activations)
        {
            foreach (int size in Sizes)
            {
                data.Add(activation, size);
            }
        }

        return data;
    }

    public static TheoryData<int> AllSizes()
    {
        var data = new TheoryData<int>();
        foreach (int size in Sizes)
        {
            data.Add(size);
        }

        return data;
    }

    /// <summary>The whole range, one without its first column, and one that starts and ends inside.</summary>
    public static IEnumerable<(int First, int End)> Ranges(int size)
    {
        yield return (0, size);
        yield return (Math.Min(1, size), size);
        yield return (size / 3, size - size / 5);
    }

    [Theory]
    [MemberData(nameof(ActivationsAndSizes))]
    public void Forward_matches_the_naive_loop(Activation activation, int inputs)
    {
        foreach (int outputs in Sizes)
        {
            float[] x = KernelReference.Random(inputs, 1), w = KernelReference.Random(inputs * outputs, 2), b = KernelReference.Random(outputs, 3);
            var a = new float[outputs];
            KernelReference.Forward(activation, x, w, b, a, inputs, outputs);

            double[] expected = KernelReference.Forward(activation, x, w, b, 1, inputs, outputs, 0, outputs, a);
            Numeric.AssertClose(expected, a, Tolerance, $"Forward<{activation}> {inputs} → {outputs}");
        }
    }

    [Theory]
    [MemberData(nameof(AllSizes))]
    public void Backward_matches_the_naive_loop(int inputs)
    {
        foreach (int outputs in Sizes)
        {
            float[] x = KernelReference.Random(inputs, 1), w = KernelReference.Random(inputs * outputs, 2), delta = KernelReference.Random(outputs, 3);
            float[] weightGradients = KernelReference.Random(inputs * outputs, 4), biasGradients = KernelReference.Random(outputs, 5);
            var (expectedWeights, expectedBiases) = KernelReference.Gradients(x, delta, weightGradients, biasGradients, 1, inputs, outputs, 0, outputs);
            double[] expectedDelta = KernelReference.InputDelta(delta, w, 1, inputs, outputs, 0, inputs, new float[inputs]);

            float[] withoutDeltaWeights = (float[])weightGradients.Clone(), withoutDeltaBiases = (float[])biasGradients.Clone();
            var inputDelta = new float[inputs];
            DenseKernels.Backward(x, w, delta, weightGradients, biasGradients, inputDelta, inputs, outputs);
            DenseKernels.Backward(x, ReadOnlySpan<float>.Empty, delta, withoutDeltaWeights, withoutDeltaBiases, Span<float>.Empty, inputs, outputs);

            string what = $"Backward {inputs} → {outputs}";
            Numeric.AssertClose(expectedWeights, weightGradients, Tolerance, $"{what}: dW");
            Numeric.AssertClose(expectedBiases, biasGradients, Tolerance, $"{what}: db");
            Numeric.AssertClose(expectedDelta, inputDelta, Tolerance, $"{what}: dx");
            Assert.Equal(weightGradients, withoutDeltaWeights);
            Assert.Equal(biasGradients, withoutDeltaBiases);
        }
    }

    [Theory]
    [MemberData(nameof(ActivationsAndSizes))]
    public void ForwardBatch_matches_the_naive_loop(Activation activation, int inputs) =>
        CheckForwardBatch(activation, inputs, transposed: false);

    [Theory]
    [MemberData(nameof(ActivationsAndSizes))]
    public void ForwardBatchTransposed_matches_the_naive_loop(Activation activation, int inputs) =>
        CheckForwardBatch(activation, inputs, transposed: true);

    private static void CheckForwardBatch(Activation activation, int inputs, bool transposed)
    {
        foreach (int outputs in Sizes)
        {
            float[] w = KernelReference.Random(inputs * outputs, 2), b = KernelReference.Random(outputs, 3);
            float[] transposedWeights = KernelReference.Transposed(w, inputs, outputs);
            foreach (int count in Counts)
            {
                float[] x = KernelReference.Random(count * inputs, count);
                foreach (var (first, end) in Ranges(outputs))
                {
                    float[] a = KernelReference.Random(count * outputs, 9);
                    double[] expected = KernelReference.Forward(activation, x, w, b, count, inputs, outputs, first, end, a);
                    if (transposed)
                    {
                        KernelReference.ForwardBatchTransposed(activation, x, transposedWeights, b, a, count, inputs, outputs, first, end);
                    }
                    else
                    {
                        KernelReference.ForwardBatch(activation, x, w, b, a, count, inputs, outputs, first, end);
                    }

                    string name = transposed ? "ForwardBatchTransposed" : "ForwardBatch";
                    Numeric.AssertClose(expected, a, Tolerance, $"{name}<{activation}> {count} × {inputs} → {outputs}, outputs [{first}, {end})");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(AllSizes))]
    public void WeightGradientsBatch_matches_the_naive_loop(int inputs)
    {
        foreach (int outputs in Sizes)
        {
            foreach (int count in Counts)
            {
                float[] x = KernelReference.Random(count * inputs, count), delta = KernelReference.Random(count * outputs, count + 100);
                foreach (var (first, end) in Ranges(outputs))
                {
                    float[] weightGradients = KernelReference.Random(inputs * outputs, 4), biasGradients = KernelReference.Random(outputs, 5);
                    var (expectedWeights, expectedBiases) = KernelReference.Gradients(x, delta, weightGradients, biasGradients, count, inputs, outputs, first, end);
                    DenseKernels.WeightGradientsBatch(x, delta, weightGradients, biasGradients, count, inputs, outputs, first, end);

                    string what = $"WeightGradientsBatch {count} × {inputs} → {outputs}, outputs [{first}, {end})";
                    Numeric.AssertClose(expectedWeights, weightGradients, Tolerance, $"{what}: dW");
                    Numeric.AssertClose(expectedBiases, biasGradients, Tolerance, $"{what}: db");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(AllSizes))]
    public void InputDeltaBatch_matches_the_naive_loop(int outputs) => CheckInputDeltaBatch(outputs, transposed: false);

    [Theory]
    [MemberData(nameof(AllSizes))]
    public void InputDeltaBatchTransposed_matches_the_naive_loop(int outputs) => CheckInputDeltaBatch(outputs, transposed: true);

    private static void CheckInputDeltaBatch(int outputs, bool transposed)
    {
        foreach (int inputs in Sizes)
        {
            float[] w = KernelReference.Random(inputs * outputs, 2);
            foreach (int count in Counts)
            {
                float[] delta = KernelReference.Random(count * outputs, count);
                foreach (var (first, end) in Ranges(inputs))
                {
                    float[] inputDelta = KernelReference.Random(count * inputs, 9);
                    double[] expected = KernelReference.InputDelta(delta, w, count, inputs, outputs, first, end, inputDelta);
                    if (transposed)
                    {
                        // The caller transposes the rows of the inputs it computes; the rest of the scratch is garbage.
                        float[] transposedWeights = KernelReference.Random(inputs * outputs, 7);
                        DenseKernels.Transpose(w, transposedWeights, inputs, outputs, first, end, 0, outputs);
                        DenseKernels.InputDeltaBatchTransposed(delta, transposedWeights, inputDelta, count, inputs, outputs, first, end);
                    }
                    else
                    {
                        DenseKernels.InputDeltaBatch(delta, w, inputDelta, count, inputs, outputs, first, end);
                    }

                    string name = transposed ? "InputDeltaBatchTransposed" : "InputDeltaBatch";
                    Numeric.AssertClose(expected, inputDelta, Tolerance, $"{name} {count} × {inputs} → {outputs}, inputs [{first}, {end})");
                }
            }
        }
    }

    [Fact]
    public void Transpose_writes_only_its_block()
    {
        foreach (int inputs in Sizes)
        {
            foreach (int outputs in Sizes)
            {
                float[] w = KernelReference.Random(inputs * outputs, 2);
                float[] whole = KernelReference.Transposed(w, inputs, outputs);
                foreach (var (firstInput, endInput) in Ranges(inputs))
                {
                    foreach (var (firstOutput, endOutput) in Ranges(outputs))
                    {
                        float[] before = KernelReference.Random(inputs * outputs, 3);
                        float[] transposed = (float[])before.Clone();
                        DenseKernels.Transpose(w, transposed, inputs, outputs, firstInput, endInput, firstOutput, endOutput);
                        for (int o = 0; o < outputs; o++)
                        {
                            for (int i = 0; i < inputs; i++)
                            {
                                bool inside = i >= firstInput && i < endInput && o >= firstOutput && o < endOutput;
                                Assert.Equal(inside ? whole[o * inputs + i] : before[o * inputs + i], transposed[o * inputs + i]);
                            }
                        }
                    }
                }
            }
        }
    }
}
