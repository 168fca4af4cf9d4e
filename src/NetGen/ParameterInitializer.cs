using System;

namespace NetGen;

/// <summary>
/// Weight initializations that keep the variance of activations and gradients roughly constant from layer to layer,
/// which is what lets deep stacks train instead of vanishing or exploding. Generated networks call these per layer.
/// </summary>
public static class ParameterInitializer
{
    /// <summary>
    /// Xavier/Glorot uniform: U(−a, a) with a = √(6 / (fanIn + fanOut)), for Identity, Sigmoid, Tanh and Softmax layers
    /// (PyTorch <c>nn.init.xavier_uniform_</c>).
    /// </summary>
    public static void XavierUniform(Span<float> weights, int fanIn, int fanOut, ref SeededRandom random)
    {
        ValidateFans(weights, fanIn, fanOut);
        Fill(weights, MathF.Sqrt(6f / (fanIn + fanOut)), ref random);
    }

    /// <summary>
    /// He/Kaiming uniform: U(−a, a) with a = √(6 / fanIn), for ReLU and LeakyReLU layers
    /// (PyTorch <c>nn.init.kaiming_uniform_(nonlinearity='relu')</c>).
    /// </summary>
    public static void HeUniform(Span<float> weights, int fanIn, int fanOut, ref SeededRandom random)
    {
        ValidateFans(weights, fanIn, fanOut);
        Fill(weights, MathF.Sqrt(6f / fanIn), ref random);
    }

    private static void Fill(Span<float> weights, float bound, ref SeededRandom random)
    {
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = random.NextSymmetric(bound);
        }
    }

    private static void ValidateFans(Span<float> weights, int fanIn, int fanOut)
    {
        if (fanIn <= 0 || fanOut <= 0 || (long)fanIn * fanOut != weights.Length)
        {
            throw new ArgumentException(
                $"A weight matrix of {fanOut} × {fanIn} needs {(long)fanIn * fanOut} floats, but the span holds {weights.Length}.",
                nameof(weights));
        }
    }
}
