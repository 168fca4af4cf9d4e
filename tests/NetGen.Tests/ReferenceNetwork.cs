using System;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;

namespace NetGen.Tests;

/// <summary>
/// A deliberately naive network in double precision, built from a network's <c>Architecture</c> text: the reference the
/// generated code is tested against (as llm.c keeps its naive matmul). It shares no code with the generator or the
/// kernels and differentiates the textbook way: dLoss/dy first, then the activation's derivative taken from z, Softmax
/// through its full Jacobian, convolutions and pools as the sums they are. Dropout is the identity: the reference
/// computes the evaluation function.
/// </summary>
internal sealed class ReferenceNetwork
{
    private readonly (int Channels, int Height, int Width) _input;
    private readonly Layer[] _layers;
    private readonly NetGen.Loss _loss;

    private ReferenceNetwork((int, int, int) input, Layer[] layers, NetGen.Loss loss)
    {
        _input = input;
        _layers = layers;
        _loss = loss;
    }

    /// <summary>One layer: its kind's numbers as the architecture text writes them.</summary>
    private sealed record Layer(string Kind, int Size, int Kernel, int Stride, int Padding, Activation Activation);

    public static ReferenceNetwork Parse(string architecture)
    {
        var input = Regex.Match(architecture, @"Input\((\d+)(?:×(\d+)×(\d+))?\)");
        var shape = (Int(input.Groups[1].Value), input.Groups[2].Success ? Int(input.Groups[2].Value) : 1, input.Groups[3].Success ? Int(input.Groups[3].Value) : 1);
        var layers = Regex.Matches(architecture, @"(Dense|Conv2D|MaxPool2D|AvgPool2D|Dropout)\(([^)]*)\)")
            .Select(match => ParseLayer(match.Groups[1].Value, match.Groups[2].Value.Split(',')))
            .ToArray();
        var loss = Enum.Parse<NetGen.Loss>(Regex.Match(architecture, @"Loss=(\w+)").Groups[1].Value);
        return new ReferenceNetwork(shape, layers, loss);
    }

    private static Layer ParseLayer(string kind, string[] arguments)
    {
        int Named(string name, int otherwise) =>
            arguments.FirstOrDefault(argument => argument.StartsWith(name + "=", StringComparison.Ordinal)) is { } found
                ? Int(found.Substring(name.Length + 1))
                : otherwise;

        return kind switch
        {
            "Dense" => new Layer(kind, Int(arguments[0]), 0, 0, 0, Enum.Parse<Activation>(arguments[1])),
            "Conv2D" => new Layer(kind, Int(arguments[0]), Int(arguments[1]), Named("Stride", 1), Named("Padding", 0), Enum.Parse<Activation>(arguments[2])),
            "Dropout" => new Layer(kind, 0, 0, 0, 0, Activation.Identity),
            _ => new Layer(kind, 0, Int(arguments[0]), Named("Stride", Int(arguments[0])), 0, Activation.Identity),
        };
    }

    private static int Int(string text) => int.Parse(text, CultureInfo.InvariantCulture);

    public sealed record Result(double[] Output, double Loss, double[] Gradients);

    public Result Evaluate(ReadOnlySpan<double> parameters, ReadOnlySpan<float> input, ReadOnlySpan<float> target)
    {
        int count = _layers.Length;
        var activations = new double[count + 1][];
        var logits = new double[count][];
        var shapes = new (int C, int H, int W)[count + 1];
        var parameterOffsets = new int[count];
        activations[0] = input.ToArray().Select(v => (double)v).ToArray();
        shapes[0] = _input;

        // Forward, layer by layer: z from the layer's sum, a = f(z).
        int offset = 0;
        for (int l = 0; l < count; l++)
        {
            parameterOffsets[l] = offset;
            (logits[l], shapes[l + 1], int used) = Forward(_layers[l], parameters.Slice(offset), activations[l], shapes[l]);
            activations[l + 1] = Activate(_layers[l].Activation, logits[l]);
            offset += used;
        }

        double[] y = activations[count];
        double[] t = target.ToArray().Select(v => (double)v).ToArray();
        (double loss, double[] dLossDy) = LossAndGradient(y, t);

        // Backward: δ = dLoss/dz via the activation's Jacobian, then each layer's parameter gradients and dLoss/d(input).
        var gradients = new double[parameters.Length];
        double[] upstream = dLossDy;
        for (int l = count - 1; l >= 0; l--)
        {
            double[] delta = ThroughActivation(_layers[l].Activation, logits[l], activations[l + 1], upstream);
            upstream = Backward(
                _layers[l], parameters.Slice(parameterOffsets[l]), gradients.AsSpan(parameterOffsets[l]), activations[l], shapes[l], shapes[l + 1], delta);
        }

        return new Result(y, loss, gradients);
    }

    /// <summary>z of one layer, its output shape and how many parameters it reads.</summary>
    private static (double[] Z, (int C, int H, int W) Shape, int Parameters) Forward(Layer layer, ReadOnlySpan<double> p, double[] x, (int C, int H, int W) shape)
    {
        switch (layer.Kind)
        {
            case "Dense":
            {
                int inputs = x.Length, outputs = layer.Size;
                var z = new double[outputs];
                for (int o = 0; o < outputs; o++)
                {
                    z[o] = p[inputs * outputs + o];
                    for (int i = 0; i < inputs; i++)
                    {
                        z[o] += p[i * outputs + o] * x[i];
                    }
                }

                return (z, (outputs, 1, 1), inputs * outputs + outputs);
            }

            case "Conv2D":
            {
                int k = layer.Kernel, s = layer.Stride, pad = layer.Padding, filters = layer.Size;
                int oh = (shape.H + 2 * pad - k) / s + 1, ow = (shape.W + 2 * pad - k) / s + 1;
                int weights = filters * shape.C * k * k;
                var z = new double[filters * oh * ow];
                for (int f = 0; f < filters; f++)
                {
                    for (int oy = 0; oy < oh; oy++)
                    {
                        for (int ox = 0; ox < ow; ox++)
                        {
                            double sum = p[weights + f];
                            for (int c = 0; c < shape.C; c++)
                            {
                                for (int ky = 0; ky < k; ky++)
                                {
                                    for (int kx = 0; kx < k; kx++)
                                    {
                                        int y = oy * s + ky - pad, xx = ox * s + kx - pad;
                                        if (y >= 0 && y < shape.H && xx >= 0 && xx < shape.W)
                                        {
                                            sum += p[((f * shape.C + c) * k + ky) * k + kx] * x[(c * shape.H + y) * shape.W + xx];
                                        }
                                    }
                                }
                            }

                            z[(f * oh + oy) * ow + ox] = sum;
                        }
                    }
                }

                return (z, (filters, oh, ow), weights + filters);
            }

            case "MaxPool2D":
            case "AvgPool2D":
            {
                int k = layer.Kernel, s = layer.Stride;
                int oh = (shape.H - k) / s + 1, ow = (shape.W - k) / s + 1;
                var z = new double[shape.C * oh * ow];
                for (int c = 0; c < shape.C; c++)
                {
                    for (int oy = 0; oy < oh; oy++)
                    {
                        for (int ox = 0; ox < ow; ox++)
                        {
                            var window = WindowIndices(c, oy, ox, k, s, shape).Select(index => x[index]).ToArray();
                            z[(c * oh + oy) * ow + ox] = layer.Kind == "MaxPool2D" ? window.Max() : window.Average();
                        }
                    }
                }

                return (z, (shape.C, oh, ow), 0);
            }

            default:
                return ((double[])x.Clone(), shape, 0);
        }
    }

    /// <summary>Adds the layer's parameter gradients and returns dLoss/d(its input), given δ = dLoss/dz.</summary>
    private static double[] Backward(
        Layer layer, ReadOnlySpan<double> p, Span<double> g, double[] x, (int C, int H, int W) shape, (int C, int H, int W) output, double[] delta)
    {
        var upstream = new double[x.Length];
        switch (layer.Kind)
        {
            case "Dense":
            {
                int inputs = x.Length, outputs = layer.Size;
                for (int o = 0; o < outputs; o++)
                {
                    g[inputs * outputs + o] += delta[o];
                    for (int i = 0; i < inputs; i++)
                    {
                        g[i * outputs + o] += delta[o] * x[i];
                        upstream[i] += p[i * outputs + o] * delta[o];
                    }
                }

                break;
            }

            case "Conv2D":
            {
                int k = layer.Kernel, s = layer.Stride, pad = layer.Padding;
                int weights = output.C * shape.C * k * k;
                for (int f = 0; f < output.C; f++)
                {
                    for (int oy = 0; oy < output.H; oy++)
                    {
                        for (int ox = 0; ox < output.W; ox++)
                        {
                            double d = delta[(f * output.H + oy) * output.W + ox];
                            g[weights + f] += d;
                            for (int c = 0; c < shape.C; c++)
                            {
                                for (int ky = 0; ky < k; ky++)
                                {
                                    for (int kx = 0; kx < k; kx++)
                                    {
                                        int y = oy * s + ky - pad, xx = ox * s + kx - pad;
                                        if (y >= 0 && y < shape.H && xx >= 0 && xx < shape.W)
                                        {
                                            int w = ((f * shape.C + c) * k + ky) * k + kx, i = (c * shape.H + y) * shape.W + xx;
                                            g[w] += d * x[i];
                                            upstream[i] += p[w] * d;
                                        }
                                    }
                                }
                            }
                        }
                    }
                }

                break;
            }

            case "MaxPool2D":
            case "AvgPool2D":
            {
                for (int c = 0; c < output.C; c++)
                {
                    for (int oy = 0; oy < output.H; oy++)
                    {
                        for (int ox = 0; ox < output.W; ox++)
                        {
                            double d = delta[(c * output.H + oy) * output.W + ox];
                            int[] window = WindowIndices(c, oy, ox, layer.Kernel, layer.Stride, shape).ToArray();
                            if (layer.Kind == "AvgPool2D")
                            {
                                foreach (int index in window)
                                {
                                    upstream[index] += d / window.Length;
                                }

                                continue;
                            }

                            // The first maximum in row-major order takes the whole gradient, as PyTorch routes it.
                            int first = window[0];
                            foreach (int index in window)
                            {
                                first = x[index] > x[first] ? index : first;
                            }

                            upstream[first] += d;
                        }
                    }
                }

                break;
            }

            default:
                Array.Copy(delta, upstream, delta.Length);
                break;
        }

        return upstream;
    }

    /// <summary>The input indices of one pooling window, row by row.</summary>
    private static System.Collections.Generic.IEnumerable<int> WindowIndices(int c, int oy, int ox, int k, int s, (int C, int H, int W) shape)
    {
        for (int ky = 0; ky < k; ky++)
        {
            for (int kx = 0; kx < k; kx++)
            {
                yield return (c * shape.H + oy * s + ky) * shape.W + ox * s + kx;
            }
        }
    }

    public double Loss(ReadOnlySpan<double> parameters, ReadOnlySpan<float> input, ReadOnlySpan<float> target) =>
        Evaluate(parameters, input, target).Loss;

    private (double Loss, double[] Gradient) LossAndGradient(double[] y, double[] t)
    {
        int n = y.Length;
        var gradient = new double[n];
        double loss = 0;
        for (int j = 0; j < n; j++)
        {
            switch (_loss)
            {
                case NetGen.Loss.MeanSquaredError:
                    loss += (y[j] - t[j]) * (y[j] - t[j]) / n;
                    gradient[j] = 2 * (y[j] - t[j]) / n;
                    break;
                case NetGen.Loss.BinaryCrossEntropy:
                    loss += -(t[j] * Math.Log(y[j]) + (1 - t[j]) * Math.Log(1 - y[j])) / n;
                    gradient[j] = (-t[j] / y[j] + (1 - t[j]) / (1 - y[j])) / n;
                    break;
                default:
                    loss += -t[j] * Math.Log(y[j]);
                    gradient[j] = -t[j] / y[j];
                    break;
            }
        }

        return (loss, gradient);
    }

    private static double[] Activate(Activation activation, double[] z)
    {
        if (activation == Activation.Softmax)
        {
            double max = z.Max();
            var e = z.Select(v => Math.Exp(v - max)).ToArray();
            double sum = e.Sum();
            return e.Select(v => v / sum).ToArray();
        }

        return z.Select(v => activation switch
        {
            Activation.Identity => v,
            Activation.Sigmoid => 1 / (1 + Math.Exp(-v)),
            Activation.Tanh => Math.Tanh(v),
            Activation.ReLU => Math.Max(v, 0),
            Activation.LeakyReLU => v > 0 ? v : 0.01 * v,
            _ => throw new ArgumentOutOfRangeException(nameof(activation)),
        }).ToArray();
    }

    private static double[] ThroughActivation(Activation activation, double[] z, double[] a, double[] upstream)
    {
        var delta = new double[z.Length];
        for (int j = 0; j < z.Length; j++)
        {
            if (activation == Activation.Softmax)
            {
                // dLoss/dz_j = Σ_i dLoss/da_i · a_i·(1[i = j] − a_j)
                for (int i = 0; i < z.Length; i++)
                {
                    delta[j] += upstream[i] * a[i] * ((i == j ? 1 : 0) - a[j]);
                }

                continue;
            }

            double s = 1 / (1 + Math.Exp(-z[j]));
            double derivative = activation switch
            {
                Activation.Identity => 1,
                Activation.Sigmoid => s * (1 - s),
                Activation.Tanh => 1 - Math.Tanh(z[j]) * Math.Tanh(z[j]),
                Activation.ReLU => z[j] > 0 ? 1 : 0,
                Activation.LeakyReLU => z[j] > 0 ? 1 : 0.01,
                _ => throw new ArgumentOutOfRangeException(nameof(activation)),
            };
            delta[j] = upstream[j] * derivative;
        }

        return delta;
    }
}
