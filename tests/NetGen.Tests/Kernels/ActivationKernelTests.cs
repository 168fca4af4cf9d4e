using System;
using NetGen.Kernels;
using Xunit;

namespace NetGen.Tests.Kernels;

/// <summary><see cref="ActivationKernels"/> against f'(z) from a = f(z) in double precision, whole spans and column ranges of rows.</summary>
public class ActivationKernelTests
{
    public static TheoryData<Activation> AllActivations()
    {
        var data = new TheoryData<Activation>();
        foreach (Activation activation in KernelReference.Activations)
        {
            data.Add(activation);
        }

        return data;
    }

    /// <summary>Activations as the forward pass leaves them: f of values on both sides of 0, with exact zeros for ReLU's edge.</summary>
    private static float[] Outputs(Activation activation, int length, int seed)
    {
        float[] z = KernelReference.Random(length, seed);
        var a = new float[length];
        for (int j = 0; j < length; j++)
        {
            a[j] = j % 7 == 3 ? 0f : (float)KernelReference.Apply(activation, 3 * z[j]);
        }

        return a;
    }

    [Theory]
    [MemberData(nameof(AllActivations))]
    public void MultiplyByDerivative_matches_the_derivative(Activation activation)
    {
        foreach (int length in DenseKernelTests.Sizes)
        {
            float[] a = Outputs(activation, length, 1), gradients = KernelReference.Random(length, 2);
            var expected = new double[length];
            for (int j = 0; j < length; j++)
            {
                expected[j] = gradients[j] * KernelReference.Derivative(activation, a[j]);
            }

            KernelReference.MultiplyByDerivative(activation, a, gradients);
            Numeric.AssertClose(expected, gradients, 1e-6, $"MultiplyByDerivative<{activation}> of {length}");
        }
    }

    [Theory]
    [MemberData(nameof(AllActivations))]
    public void MultiplyByDerivative_of_a_column_range_leaves_the_other_columns(Activation activation)
    {
        foreach (int rowLength in DenseKernelTests.Sizes)
        {
            foreach (var (first, end) in DenseKernelTests.Ranges(rowLength))
            {
                const int rows = 5;
                float[] a = Outputs(activation, rows * rowLength, 1), gradients = KernelReference.Random(rows * rowLength, 2);
                var expected = new double[gradients.Length];
                for (int j = 0; j < gradients.Length; j++)
                {
                    int column = j % rowLength;
                    expected[j] = column >= first && column < end ? gradients[j] * KernelReference.Derivative(activation, a[j]) : gradients[j];
                }

                KernelReference.MultiplyByDerivative(activation, a, gradients, rows, rowLength, first, end);
                Numeric.AssertClose(expected, gradients, 1e-6, $"MultiplyByDerivative<{activation}> of {rows} × {rowLength}, [{first}, {end})");
            }
        }
    }

    [Theory]
    [MemberData(nameof(AllActivations))]
    public void ActivateLogits_writes_f_of_the_logits_in_the_range_and_leaves_the_logits_and_other_columns(Activation activation)
    {
        foreach (int rowLength in DenseKernelTests.Sizes)
        {
            foreach (var (first, end) in DenseKernelTests.Ranges(rowLength))
            {
                const int rows = 3;
                float[] z = KernelReference.Random(rows * rowLength, 5), logits = (float[])z.Clone();
                var a = new float[rows * rowLength];
                Array.Fill(a, -7f);
                var expected = new double[a.Length];
                for (int j = 0; j < a.Length; j++)
                {
                    int column = j % rowLength;
                    expected[j] = column >= first && column < end ? KernelReference.Apply(activation, 4 * z[j]) : -7f;
                    logits[j] = 4 * z[j];
                }

                float[] unchanged = (float[])logits.Clone();
                KernelReference.ActivateLogits(activation, logits, a, rows, rowLength, first, end);
                Numeric.AssertClose(expected, a, 1e-6, $"ActivateLogits<{activation}> of {rows} × {rowLength}, [{first}, {end})");
                Assert.Equal(unchanged, logits);
            }
        }
    }

    [Fact]
    public void Vector_lanes_and_the_scalar_tail_agree_bit_for_bit()
    {
        // The same activation and gradient in every lane and in the tail: one expression, one result.
        foreach (Activation activation in KernelReference.Activations)
        {
            float[] values = { -2.5f, -0.3f, 0f, 0.25f, 0.75f, 1.5f };
            foreach (float value in values)
            {
                float a = (float)KernelReference.Apply(activation, value);
                float[] activations = new float[37], gradients = new float[37];
                Array.Fill(activations, a);
                Array.Fill(gradients, 0.7f);
                KernelReference.MultiplyByDerivative(activation, activations, gradients);
                Assert.All(gradients, g => Assert.Equal(BitConverter.SingleToInt32Bits(gradients[0]), BitConverter.SingleToInt32Bits(g)));
            }
        }
    }
}
