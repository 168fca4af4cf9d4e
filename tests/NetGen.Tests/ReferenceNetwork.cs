using System;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;

namespace NetGen.Tests;

/// <summary>
/// A deliberately naive multilayer perceptron in double precision, built from a network's <c>Architecture</c> text:
/// the reference the generated code is tested against (as llm.c keeps its naive matmul). It shares no code with the
/// generator and differentiates the textbook way: dLoss/dy first, then the activation's derivative taken from z,
/// Softmax through its full Jacobian.
/// </summary>
internal sealed class ReferenceNetwork
{
    private readonly int _inputSize;
    private readonly (int Size, Activation Activation)[] _layers;
    private readonly NetGen.Loss _loss;

    private ReferenceNetwork(int inputSize, (int, Activation)[] layers, NetGen.Loss loss)
    {
        _inputSize = inputSize;
        _layers = layers;
        _loss = loss;
    }

    public static ReferenceNetwork Parse(string architecture)
    {
        var input = Regex.Match(architecture, @"Input\((\d+)\)");
        var layers = Regex.Matches(architecture, @"Dense\((\d+),(\w+)\)")
            .Select(m => (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), Enum.Parse<Activation>(m.Groups[2].Value)))
            .ToArray();
        var loss = Enum.Parse<NetGen.Loss>(Regex.Match(architecture, @"Loss=(\w+)").Groups[1].Value);
        return new ReferenceNetwork(int.Parse(input.Groups[1].Value, CultureInfo.InvariantCulture), layers, loss);
    }

    public sealed record Result(double[] Output, double Loss, double[] Gradients);

    public Result Evaluate(ReadOnlySpan<double> parameters, ReadOnlySpan<float> input, ReadOnlySpan<float> target)
    {
        int count = _layers.Length;
        var activations = new double[count + 1][];
        var logits = new double[count][];
        activations[0] = input.ToArray().Select(v => (double)v).ToArray();

        // Forward: z = W·a + b, a = f(z), layer by layer.
        int offset = 0;
        var weightOffsets = new int[count];
        for (int l = 0; l < count; l++)
        {
            int inputs = activations[l].Length, outputs = _layers[l].Size;
            weightOffsets[l] = offset;
            logits[l] = new double[outputs];
            for (int o = 0; o < outputs; o++)
            {
                double z = parameters[offset + inputs * outputs + o];
                for (int i = 0; i < inputs; i++)
                {
                    z += parameters[offset + i * outputs + o] * activations[l][i];
                }

                logits[l][o] = z;
            }

            activations[l + 1] = Activate(_layers[l].Activation, logits[l]);
            offset += inputs * outputs + outputs;
        }

        double[] y = activations[count];
        double[] t = target.ToArray().Select(v => (double)v).ToArray();
        (double loss, double[] dLossDy) = LossAndGradient(y, t);

        // Backward: δ = dLoss/dz via the activation's Jacobian, then dW = δ·aᵀ, db = δ, dLoss/da_prev = Wᵀ·δ.
        var gradients = new double[parameters.Length];
        double[] upstream = dLossDy;
        for (int l = count - 1; l >= 0; l--)
        {
            int inputs = activations[l].Length, outputs = _layers[l].Size, w = weightOffsets[l];
            double[] delta = ThroughActivation(_layers[l].Activation, logits[l], activations[l + 1], upstream);
            var next = new double[inputs];
            for (int o = 0; o < outputs; o++)
            {
                gradients[w + inputs * outputs + o] += delta[o];
                for (int i = 0; i < inputs; i++)
                {
                    gradients[w + i * outputs + o] += delta[o] * activations[l][i];
                    next[i] += parameters[w + i * outputs + o] * delta[o];
                }
            }

            upstream = next;
        }

        return new Result(y, loss, gradients);
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
