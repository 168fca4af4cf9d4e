using System;

namespace NetGen.Benchmarks;

/// <summary>
/// The baseline: a plainly written scalar multilayer perceptron (weights [out × in], then biases, per layer),
/// ReLU or Tanh hidden layers and a Softmax/CrossEntropy or Identity output, trained with SGD and momentum.
/// </summary>
internal sealed class ScalarMlp
{
    private readonly int[] _sizes;
    private readonly bool _tanh;
    private readonly bool _softmax;
    private readonly float[] _parameters;
    private readonly float[] _gradients;
    private readonly float[] _velocity;
    private readonly float[][] _activations;
    private readonly float[][] _deltas;

    public ScalarMlp(int[] sizes, bool tanh, bool softmax, int seed)
    {
        _sizes = sizes;
        _tanh = tanh;
        _softmax = softmax;
        int count = 0;
        for (int l = 1; l < sizes.Length; l++)
        {
            count += sizes[l - 1] * sizes[l] + sizes[l];
        }

        _parameters = new float[count];
        _gradients = new float[count];
        _velocity = new float[count];
        var random = new SeededRandom(seed);
        for (int i = 0; i < count; i++)
        {
            _parameters[i] = random.NextSymmetric(0.05f);
        }

        _activations = new float[sizes.Length][];
        _deltas = new float[sizes.Length][];
        for (int l = 0; l < sizes.Length; l++)
        {
            _activations[l] = new float[sizes[l]];
            _deltas[l] = new float[sizes[l]];
        }
    }

    public void Forward(ReadOnlySpan<float> input, Span<float> output)
    {
        input.CopyTo(_activations[0]);
        int offset = 0;
        int last = _sizes.Length - 1;
        for (int l = 1; l <= last; l++)
        {
            int inputs = _sizes[l - 1], outputs = _sizes[l];
            float[] x = _activations[l - 1], a = _activations[l];
            for (int o = 0; o < outputs; o++)
            {
                float z = _parameters[offset + inputs * outputs + o];
                for (int i = 0; i < inputs; i++)
                {
                    z += _parameters[offset + o * inputs + i] * x[i];
                }

                a[o] = l == last ? z : _tanh ? MathF.Tanh(z) : MathF.Max(z, 0f);
            }

            offset += inputs * outputs + outputs;
        }

        if (_softmax)
        {
            float[] y = _activations[last];
            float max = float.NegativeInfinity, sum = 0;
            foreach (float v in y)
            {
                max = MathF.Max(max, v);
            }

            for (int j = 0; j < y.Length; j++)
            {
                y[j] = MathF.Exp(y[j] - max);
                sum += y[j];
            }

            for (int j = 0; j < y.Length; j++)
            {
                y[j] /= sum;
            }
        }

        _activations[last].CopyTo(output);
    }

    /// <summary>Adds this sample's gradient; the output delta is y − t (Softmax/CrossEntropy or Identity with half-MSE).</summary>
    public void Backward(ReadOnlySpan<float> target)
    {
        int last = _sizes.Length - 1;
        for (int j = 0; j < _sizes[last]; j++)
        {
            _deltas[last][j] = _activations[last][j] - target[j];
        }

        int offset = _parameters.Length;
        for (int l = last; l >= 1; l--)
        {
            int inputs = _sizes[l - 1], outputs = _sizes[l];
            offset -= inputs * outputs + outputs;
            float[] x = _activations[l - 1], delta = _deltas[l], back = _deltas[l - 1];
            Array.Clear(back);
            for (int o = 0; o < outputs; o++)
            {
                _gradients[offset + inputs * outputs + o] += delta[o];
                for (int i = 0; i < inputs; i++)
                {
                    _gradients[offset + o * inputs + i] += delta[o] * x[i];
                    back[i] += _parameters[offset + o * inputs + i] * delta[o];
                }
            }

            if (l > 1)
            {
                for (int i = 0; i < inputs; i++)
                {
                    back[i] *= _tanh ? 1 - x[i] * x[i] : x[i] > 0 ? 1 : 0;
                }
            }
        }
    }

    public void Step(float learningRate, float momentum, int batch)
    {
        for (int i = 0; i < _parameters.Length; i++)
        {
            _velocity[i] = momentum * _velocity[i] + _gradients[i] / batch;
            _parameters[i] -= learningRate * _velocity[i];
            _gradients[i] = 0;
        }
    }
}
