using System;
using NetGen.Kernels;

namespace NetGen.Tests.Kernels;

/// <summary>
/// The naive double-precision loops the kernels are checked against (llm.c's matmul_forward_naive), and the generic
/// kernels called for an activation chosen at run time.
/// </summary>
internal static class KernelReference
{
    public static readonly Activation[] Activations =
        { Activation.Identity, Activation.ReLU, Activation.LeakyReLU, Activation.Sigmoid, Activation.Tanh };

    /// <summary>Uniform values in [−1, 1) from a fixed seed.</summary>
    public static float[] Random(int length, int seed)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (int j = 0; j < values.Length; j++)
        {
            values[j] = (float)(random.NextDouble() * 2 - 1);
        }

        return values;
    }

    public static double Apply(Activation activation, double z) => activation switch
    {
        Activation.Identity => z,
        Activation.ReLU => Math.Max(z, 0),
        Activation.LeakyReLU => z > 0 ? z : NetGen.Activations.LeakySlope * z,
        Activation.Sigmoid => 1 / (1 + Math.Exp(-z)),
        Activation.Tanh => Math.Tanh(z),
        _ => throw new ArgumentOutOfRangeException(nameof(activation)),
    };

    /// <summary>f'(z) from a = f(z).</summary>
    public static double Derivative(Activation activation, double a) => activation switch
    {
        Activation.Identity => 1,
        Activation.ReLU => a > 0 ? 1 : 0,
        Activation.LeakyReLU => a > 0 ? 1 : NetGen.Activations.LeakySlope,
        Activation.Sigmoid => a * (1 - a),
        Activation.Tanh => 1 - a * a,
        _ => throw new ArgumentOutOfRangeException(nameof(activation)),
    };

    /// <summary>a[s, o] = f(b[o] + Σᵢ x[s, i]·W[i, o]) for o in [first, end); other outputs keep <paramref name="outside"/>.</summary>
    public static double[] Forward(Activation activation, float[] x, float[] w, float[] b, int count, int inputs, int outputs, int first, int end, float[] outside)
    {
        var a = new double[count * outputs];
        for (int s = 0; s < count; s++)
        {
            for (int o = 0; o < outputs; o++)
            {
                if (o < first || o >= end)
                {
                    a[s * outputs + o] = outside[s * outputs + o];
                    continue;
                }

                double z = b[o];
                for (int i = 0; i < inputs; i++)
                {
                    z += (double)x[s * inputs + i] * w[i * outputs + o];
                }

                a[s * outputs + o] = Apply(activation, z);
            }
        }

        return a;
    }

    /// <summary>db[o] += Σₛ δ[s, o] and dW[i, o] += Σₛ x[s, i]·δ[s, o] for o in [first, end).</summary>
    public static (double[] WeightGradients, double[] BiasGradients) Gradients(float[] x, float[] delta, float[] weightGradients, float[] biasGradients, int count, int inputs, int outputs, int first, int end)
    {
        var dW = Array.ConvertAll(weightGradients, v => (double)v);
        var db = Array.ConvertAll(biasGradients, v => (double)v);
        for (int o = first; o < end; o++)
        {
            for (int s = 0; s < count; s++)
            {
                db[o] += delta[s * outputs + o];
                for (int i = 0; i < inputs; i++)
                {
                    dW[i * outputs + o] += (double)x[s * inputs + i] * delta[s * outputs + o];
                }
            }
        }

        return (dW, db);
    }

    /// <summary>dx[s, i] = Σₒ δ[s, o]·W[i, o] for i in [first, end); other inputs keep <paramref name="outside"/>.</summary>
    public static double[] InputDelta(float[] delta, float[] w, int count, int inputs, int outputs, int first, int end, float[] outside)
    {
        var dx = Array.ConvertAll(outside, v => (double)v);
        for (int s = 0; s < count; s++)
        {
            for (int i = first; i < end; i++)
            {
                double total = 0;
                for (int o = 0; o < outputs; o++)
                {
                    total += (double)delta[s * outputs + o] * w[i * outputs + o];
                }

                dx[s * inputs + i] = total;
            }
        }

        return dx;
    }

    public static void Forward(Activation activation, ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> b, Span<float> a, int inputs, int outputs)
    {
        switch (activation)
        {
            case Activation.Identity: DenseKernels.Forward<IdentityActivation>(x, w, b, a, inputs, outputs); break;
            case Activation.ReLU: DenseKernels.Forward<ReLUActivation>(x, w, b, a, inputs, outputs); break;
            case Activation.LeakyReLU: DenseKernels.Forward<LeakyReLUActivation>(x, w, b, a, inputs, outputs); break;
            case Activation.Sigmoid: DenseKernels.Forward<SigmoidActivation>(x, w, b, a, inputs, outputs); break;
            case Activation.Tanh: DenseKernels.Forward<TanhActivation>(x, w, b, a, inputs, outputs); break;
            default: throw new ArgumentOutOfRangeException(nameof(activation));
        }
    }

    public static void ForwardBatch(Activation activation, ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> b, Span<float> a, int count, int inputs, int outputs, int first, int end)
    {
        switch (activation)
        {
            case Activation.Identity: DenseKernels.ForwardBatch<IdentityActivation>(x, w, b, a, count, inputs, outputs, first, end); break;
            case Activation.ReLU: DenseKernels.ForwardBatch<ReLUActivation>(x, w, b, a, count, inputs, outputs, first, end); break;
            case Activation.LeakyReLU: DenseKernels.ForwardBatch<LeakyReLUActivation>(x, w, b, a, count, inputs, outputs, first, end); break;
            case Activation.Sigmoid: DenseKernels.ForwardBatch<SigmoidActivation>(x, w, b, a, count, inputs, outputs, first, end); break;
            case Activation.Tanh: DenseKernels.ForwardBatch<TanhActivation>(x, w, b, a, count, inputs, outputs, first, end); break;
            default: throw new ArgumentOutOfRangeException(nameof(activation));
        }
    }

    public static void ForwardBatchTransposed(Activation activation, ReadOnlySpan<float> x, ReadOnlySpan<float> transposed, ReadOnlySpan<float> b, Span<float> a, int count, int inputs, int outputs, int first, int end)
    {
        switch (activation)
        {
            case Activation.Identity: DenseKernels.ForwardBatchTransposed<IdentityActivation>(x, transposed, b, a, count, inputs, outputs, first, end); break;
            case Activation.ReLU: DenseKernels.ForwardBatchTransposed<ReLUActivation>(x, transposed, b, a, count, inputs, outputs, first, end); break;
            case Activation.LeakyReLU: DenseKernels.ForwardBatchTransposed<LeakyReLUActivation>(x, transposed, b, a, count, inputs, outputs, first, end); break;
            case Activation.Sigmoid: DenseKernels.ForwardBatchTransposed<SigmoidActivation>(x, transposed, b, a, count, inputs, outputs, first, end); break;
            case Activation.Tanh: DenseKernels.ForwardBatchTransposed<TanhActivation>(x, transposed, b, a, count, inputs, outputs, first, end); break;
            default: throw new ArgumentOutOfRangeException(nameof(activation));
        }
    }

    public static void MultiplyByDerivative(Activation activation, ReadOnlySpan<float> activations, Span<float> gradients)
    {
        switch (activation)
        {
            case Activation.Identity: ActivationKernels.MultiplyByDerivative<IdentityActivation>(activations, gradients); break;
            case Activation.ReLU: ActivationKernels.MultiplyByDerivative<ReLUActivation>(activations, gradients); break;
            case Activation.LeakyReLU: ActivationKernels.MultiplyByDerivative<LeakyReLUActivation>(activations, gradients); break;
            case Activation.Sigmoid: ActivationKernels.MultiplyByDerivative<SigmoidActivation>(activations, gradients); break;
            case Activation.Tanh: ActivationKernels.MultiplyByDerivative<TanhActivation>(activations, gradients); break;
            default: throw new ArgumentOutOfRangeException(nameof(activation));
        }
    }

    public static void MultiplyByDerivative(Activation activation, ReadOnlySpan<float> activations, Span<float> gradients, int rows, int rowLength, int first, int end)
    {
        switch (activation)
        {
            case Activation.Identity: ActivationKernels.MultiplyByDerivative<IdentityActivation>(activations, gradients, rows, rowLength, first, end); break;
            case Activation.ReLU: ActivationKernels.MultiplyByDerivative<ReLUActivation>(activations, gradients, rows, rowLength, first, end); break;
            case Activation.LeakyReLU: ActivationKernels.MultiplyByDerivative<LeakyReLUActivation>(activations, gradients, rows, rowLength, first, end); break;
            case Activation.Sigmoid: ActivationKernels.MultiplyByDerivative<SigmoidActivation>(activations, gradients, rows, rowLength, first, end); break;
            case Activation.Tanh: ActivationKernels.MultiplyByDerivative<TanhActivation>(activations, gradients, rows, rowLength, first, end); break;
            default: throw new ArgumentOutOfRangeException(nameof(activation));
        }
    }

    public static void ActivateLogits(Activation activation, ReadOnlySpan<float> logits, Span<float> activations, int rows, int rowLength, int first, int end)
    {
        switch (activation)
        {
            case Activation.Identity: ActivationKernels.ActivateLogits<IdentityActivation>(logits, activations, rows, rowLength, first, end); break;
            case Activation.ReLU: ActivationKernels.ActivateLogits<ReLUActivation>(logits, activations, rows, rowLength, first, end); break;
            case Activation.LeakyReLU: ActivationKernels.ActivateLogits<LeakyReLUActivation>(logits, activations, rows, rowLength, first, end); break;
            case Activation.Sigmoid: ActivationKernels.ActivateLogits<SigmoidActivation>(logits, activations, rows, rowLength, first, end); break;
            case Activation.Tanh: ActivationKernels.ActivateLogits<TanhActivation>(logits, activations, rows, rowLength, first, end); break;
            default: throw new ArgumentOutOfRangeException(nameof(activation));
        }
    }

    /// <summary>Wᵀ of the whole matrix.</summary>
    public static float[] Transposed(float[] w, int inputs, int outputs)
    {
        var transposed = new float[w.Length];
        for (int i = 0; i < inputs; i++)
        {
            for (int o = 0; o < outputs; o++)
            {
                transposed[o * inputs + i] = w[i * outputs + o];
            }
        }

        return transposed;
    }
}
