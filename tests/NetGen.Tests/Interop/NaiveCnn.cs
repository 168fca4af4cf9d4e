using System;
using System.Collections.Generic;

namespace NetGen.Tests.Interop;

/// <summary>
/// The forward pass of a layer list, written as the definitions read (double sums, one loop per index), with no
/// code in common with the generator or the kernels: the reference the interop mappings are checked against before a
/// generated class declares the layer kinds. Evaluation mode: dropout is the identity.
/// </summary>
internal static class NaiveCnn
{
    public static void Forward(IReadOnlyList<LayerInfo> layers, ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, Span<float> output)
    {
        double[] values = Array.ConvertAll(input.ToArray(), value => (double)value);
        foreach (LayerInfo layer in layers)
        {
            values = layer.Kind switch
            {
                LayerKind.Dense => Dense(layer, parameters, values),
                LayerKind.Conv2D => Conv2D(layer, parameters, values),
                LayerKind.MaxPool2D or LayerKind.AvgPool2D => Pool2D(layer, values),
                LayerKind.Dropout => values,
                _ => throw new NotSupportedException(layer.Kind.ToString()),
            };
            Activate(layer.Activation, values);
        }

        for (int i = 0; i < output.Length; i++)
        {
            output[i] = (float)values[i];
        }
    }

    /// <summary>z[o] = Σᵢ x[i]·W[i, o] + b[o], W [inputs, outputs]; x is the input flattened in (C, H, W) order.</summary>
    private static double[] Dense(LayerInfo layer, ReadOnlySpan<float> parameters, double[] input)
    {
        ParameterBlock weight = layer.Parameters[0], bias = layer.Parameters[1];
        int outputs = layer.OutputShape.Length;
        var z = new double[outputs];
        for (int output = 0; output < outputs; output++)
        {
            double sum = parameters[bias.Offset + output];
            for (int i = 0; i < input.Length; i++)
            {
                sum += input[i] * parameters[weight.Offset + i * outputs + output];
            }

            z[output] = sum;
        }

        return z;
    }

    /// <summary>
    /// z[f, y, x] = b[f] + Σ_c Σ_ky Σ_kx in[c, y·S + ky − P, x·S + kx − P]·W[f, c, ky, kx], zero outside the input
    /// (PyTorch's Conv2d, a cross-correlation).
    /// </summary>
    private static double[] Conv2D(LayerInfo layer, ReadOnlySpan<float> parameters, double[] input)
    {
        ParameterBlock weight = layer.Parameters[0], bias = layer.Parameters[1];
        TensorShape inShape = layer.InputShape, outShape = layer.OutputShape;
        int k = layer.KernelSize;
        var z = new double[outShape.Length];
        for (int filter = 0; filter < outShape.Channels; filter++)
        {
            for (int row = 0; row < outShape.Height; row++)
            {
                for (int column = 0; column < outShape.Width; column++)
                {
                    double sum = parameters[bias.Offset + filter];
                    for (int channel = 0; channel < inShape.Channels; channel++)
                    {
                        for (int ky = 0; ky < k; ky++)
                        {
                            for (int kx = 0; kx < k; kx++)
                            {
                                int y = row * layer.Stride + ky - layer.Padding, x = column * layer.Stride + kx - layer.Padding;
                                if (y < 0 || y >= inShape.Height || x < 0 || x >= inShape.Width)
                                {
                                    continue;
                                }

                                double w = parameters[weight.Offset + ((filter * inShape.Channels + channel) * k + ky) * k + kx];
                                sum += w * input[(channel * inShape.Height + y) * inShape.Width + x];
                            }
                        }
                    }

                    z[(filter * outShape.Height + row) * outShape.Width + column] = sum;
                }
            }
        }

        return z;
    }

    /// <summary>The maximum or the mean of each size × size window of each channel, windows stride apart.</summary>
    private static double[] Pool2D(LayerInfo layer, double[] input)
    {
        TensorShape inShape = layer.InputShape, outShape = layer.OutputShape;
        int size = layer.KernelSize;
        var pooled = new double[outShape.Length];
        for (int channel = 0; channel < outShape.Channels; channel++)
        {
            for (int row = 0; row < outShape.Height; row++)
            {
                for (int column = 0; column < outShape.Width; column++)
                {
                    double max = double.NegativeInfinity, sum = 0;
                    for (int ky = 0; ky < size; ky++)
                    {
                        for (int kx = 0; kx < size; kx++)
                        {
                            double value = input[(channel * inShape.Height + row * layer.Stride + ky) * inShape.Width + column * layer.Stride + kx];
                            max = Math.Max(max, value);
                            sum += value;
                        }
                    }

                    pooled[(channel * outShape.Height + row) * outShape.Width + column] =
                        layer.Kind == LayerKind.MaxPool2D ? max : sum / (size * size);
                }
            }
        }

        return pooled;
    }

    private static void Activate(Activation activation, double[] z)
    {
        if (activation == Activation.Softmax)
        {
            double max = double.NegativeInfinity, sum = 0;
            foreach (double value in z)
            {
                max = Math.Max(max, value);
            }

            for (int i = 0; i < z.Length; i++)
            {
                sum += z[i] = Math.Exp(z[i] - max);
            }

            for (int i = 0; i < z.Length; i++)
            {
                z[i] /= sum;
            }

            return;
        }

        for (int i = 0; i < z.Length; i++)
        {
            z[i] = activation switch
            {
                Activation.Identity => z[i],
                Activation.ReLU => Math.Max(z[i], 0),
                Activation.LeakyReLU => z[i] > 0 ? z[i] : Activations.LeakySlope * z[i],
                Activation.Sigmoid => 1 / (1 + Math.Exp(-z[i])),
                Activation.Tanh => Math.Tanh(z[i]),
                _ => throw new NotSupportedException(activation.ToString()),
            };
        }
    }
}
