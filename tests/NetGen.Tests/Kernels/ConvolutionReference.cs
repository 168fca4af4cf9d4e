using System;
using NetGen.Kernels;

namespace NetGen.Tests.Kernels;

/// <summary>
/// Naive double-precision loops for the convolution and pooling kernels, written from the definitions (PyTorch's
/// Conv2d, MaxPool2d, AvgPool2d) with no im2col: the references the fast paths are checked against.
/// </summary>
internal static class ConvolutionReference
{
    /// <summary>in[s, c, y, x], or 0 in the padding.</summary>
    private static double Input(in ConvolutionShape shape, float[] inputs, int sample, int channel, int y, int x) =>
        y < 0 || y >= shape.InputHeight || x < 0 || x >= shape.InputWidth
            ? 0
            : inputs[sample * shape.InputLength + channel * shape.InputPlane + y * shape.InputWidth + x];

    private static double Weight(in ConvolutionShape shape, float[] weights, int filter, int channel, int ky, int kx) =>
        weights[((filter * shape.InputChannels + channel) * shape.KernelSize + ky) * shape.KernelSize + kx];

    /// <summary>out[s, f, oy, ox] = f(b[f] + Σ W·in) for filters in [first, end); other outputs keep <paramref name="outside"/>.</summary>
    public static double[] Forward(Activation activation, in ConvolutionShape shape, float[] inputs, float[] weights, float[] biases, int count, int first, int end, float[] outside)
    {
        var outputs = Array.ConvertAll(outside, v => (double)v);
        for (int s = 0; s < count; s++)
        {
            for (int f = first; f < end; f++)
            {
                for (int oy = 0; oy < shape.OutputHeight; oy++)
                {
                    for (int ox = 0; ox < shape.OutputWidth; ox++)
                    {
                        double z = biases[f];
                        for (int c = 0; c < shape.InputChannels; c++)
                        {
                            for (int ky = 0; ky < shape.KernelSize; ky++)
                            {
                                for (int kx = 0; kx < shape.KernelSize; kx++)
                                {
                                    z += Weight(shape, weights, f, c, ky, kx) * Input(shape, inputs, s, c, oy * shape.Stride + ky - shape.Padding, ox * shape.Stride + kx - shape.Padding);
                                }
                            }
                        }

                        outputs[s * shape.OutputLength + f * shape.OutputPlane + oy * shape.OutputWidth + ox] = KernelReference.Apply(activation, z);
                    }
                }
            }
        }

        return outputs;
    }

    /// <summary>dW[f, c, ky, kx] += Σ δ·in and db[f] += Σ δ for filters in [first, end), from the given gradients.</summary>
    public static (double[] WeightGradients, double[] BiasGradients) Gradients(in ConvolutionShape shape, float[] inputs, float[] deltas, float[] weightGradients, float[] biasGradients, int count, int first, int end)
    {
        var dW = Array.ConvertAll(weightGradients, v => (double)v);
        var db = Array.ConvertAll(biasGradients, v => (double)v);
        for (int s = 0; s < count; s++)
        {
            for (int f = first; f < end; f++)
            {
                for (int oy = 0; oy < shape.OutputHeight; oy++)
                {
                    for (int ox = 0; ox < shape.OutputWidth; ox++)
                    {
                        double delta = deltas[s * shape.OutputLength + f * shape.OutputPlane + oy * shape.OutputWidth + ox];
                        db[f] += delta;
                        for (int c = 0; c < shape.InputChannels; c++)
                        {
                            for (int ky = 0; ky < shape.KernelSize; ky++)
                            {
                                for (int kx = 0; kx < shape.KernelSize; kx++)
                                {
                                    int index = ((f * shape.InputChannels + c) * shape.KernelSize + ky) * shape.KernelSize + kx;
                                    dW[index] += delta * Input(shape, inputs, s, c, oy * shape.Stride + ky - shape.Padding, ox * shape.Stride + kx - shape.Padding);
                                }
                            }
                        }
                    }
                }
            }
        }

        return (dW, db);
    }

    /// <summary>dX[s, c, y, x] = Σ W·δ over the windows that cover (y, x), for channels in [first, end); others keep <paramref name="outside"/>.</summary>
    public static double[] InputDelta(in ConvolutionShape shape, float[] deltas, float[] weights, int count, int first, int end, float[] outside)
    {
        var dX = Array.ConvertAll(outside, v => (double)v);
        for (int s = 0; s < count; s++)
        {
            for (int c = first; c < end; c++)
            {
                Array.Clear(dX, s * shape.InputLength + c * shape.InputPlane, shape.InputPlane);
            }

            for (int f = 0; f < shape.Filters; f++)
            {
                for (int oy = 0; oy < shape.OutputHeight; oy++)
                {
                    for (int ox = 0; ox < shape.OutputWidth; ox++)
                    {
                        double delta = deltas[s * shape.OutputLength + f * shape.OutputPlane + oy * shape.OutputWidth + ox];
                        for (int c = first; c < end; c++)
                        {
                            for (int ky = 0; ky < shape.KernelSize; ky++)
                            {
                                for (int kx = 0; kx < shape.KernelSize; kx++)
                                {
                                    int y = oy * shape.Stride + ky - shape.Padding, x = ox * shape.Stride + kx - shape.Padding;
                                    if (y >= 0 && y < shape.InputHeight && x >= 0 && x < shape.InputWidth)
                                    {
                                        dX[s * shape.InputLength + c * shape.InputPlane + y * shape.InputWidth + x] += Weight(shape, weights, f, c, ky, kx) * delta;
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }

        return dX;
    }

    /// <summary>Max or average pooling forward for channels in [first, end); other outputs keep <paramref name="outside"/>.</summary>
    public static double[] PoolForward(bool max, in PoolingShape shape, float[] inputs, int count, int first, int end, float[] outside)
    {
        var outputs = Array.ConvertAll(outside, v => (double)v);
        for (int s = 0; s < count; s++)
        {
            for (int c = first; c < end; c++)
            {
                for (int oy = 0; oy < shape.OutputHeight; oy++)
                {
                    for (int ox = 0; ox < shape.OutputWidth; ox++)
                    {
                        var (argMax, sum) = Window(shape, inputs, s, c, oy, ox);
                        outputs[s * shape.OutputLength + c * shape.OutputPlane + oy * shape.OutputWidth + ox] =
                            max ? inputs[argMax] : sum / (shape.Size * shape.Size);
                    }
                }
            }
        }

        return outputs;
    }

    /// <summary>The δ of max (to the first maximum) or average pooling (δ / size² to each input), channels in [first, end).</summary>
    public static double[] PoolInputDelta(bool max, in PoolingShape shape, float[] inputs, float[] deltas, int count, int first, int end, float[] outside)
    {
        var dX = Array.ConvertAll(outside, v => (double)v);
        for (int s = 0; s < count; s++)
        {
            for (int c = first; c < end; c++)
            {
                Array.Clear(dX, s * shape.InputLength + c * shape.InputPlane, shape.InputPlane);
                for (int oy = 0; oy < shape.OutputHeight; oy++)
                {
                    for (int ox = 0; ox < shape.OutputWidth; ox++)
                    {
                        double delta = deltas[s * shape.OutputLength + c * shape.OutputPlane + oy * shape.OutputWidth + ox];
                        var (argMax, _) = Window(shape, inputs, s, c, oy, ox);
                        if (max)
                        {
                            dX[argMax] += delta;
                            continue;
                        }

                        for (int wy = 0; wy < shape.Size; wy++)
                        {
                            for (int wx = 0; wx < shape.Size; wx++)
                            {
                                int y = oy * shape.Stride + wy, x = ox * shape.Stride + wx;
                                dX[s * shape.InputLength + c * shape.InputPlane + y * shape.InputWidth + x] += delta / (shape.Size * shape.Size);
                            }
                        }
                    }
                }
            }
        }

        return dX;
    }

    /// <summary>
    /// The index in <paramref name="inputs"/> of the window's maximum by PyTorch's scan (a later input wins when it is
    /// greater or NaN: the first maximum, or the last NaN), and the window's sum.
    /// </summary>
    private static (int ArgMax, double Sum) Window(in PoolingShape shape, float[] inputs, int s, int c, int oy, int ox)
    {
        int argMax = -1;
        double sum = 0;
        for (int wy = 0; wy < shape.Size; wy++)
        {
            for (int wx = 0; wx < shape.Size; wx++)
            {
                int index = s * shape.InputLength + c * shape.InputPlane + (oy * shape.Stride + wy) * shape.InputWidth + ox * shape.Stride + wx;
                sum += inputs[index];
                if (argMax < 0 || inputs[index] > inputs[argMax] || float.IsNaN(inputs[index]))
                {
                    argMax = index;
                }
            }
        }

        return (argMax, sum);
    }

    public static void ForwardBatch(Activation activation, in ConvolutionShape shape, ReadOnlySpan<float> inputs, ReadOnlySpan<float> weights, ReadOnlySpan<float> biases, Span<float> outputs, Span<float> scratch, int count, int first, int end)
    {
        switch (activation)
        {
            case Activation.Identity: ConvolutionKernels.ForwardBatch<IdentityActivation>(shape, inputs, weights, biases, outputs, scratch, count, first, end); break;
            case Activation.ReLU: ConvolutionKernels.ForwardBatch<ReLUActivation>(shape, inputs, weights, biases, outputs, scratch, count, first, end); break;
            case Activation.LeakyReLU: ConvolutionKernels.ForwardBatch<LeakyReLUActivation>(shape, inputs, weights, biases, outputs, scratch, count, first, end); break;
            case Activation.Sigmoid: ConvolutionKernels.ForwardBatch<SigmoidActivation>(shape, inputs, weights, biases, outputs, scratch, count, first, end); break;
            case Activation.Tanh: ConvolutionKernels.ForwardBatch<TanhActivation>(shape, inputs, weights, biases, outputs, scratch, count, first, end); break;
            default: throw new ArgumentOutOfRangeException(nameof(activation));
        }
    }
}
