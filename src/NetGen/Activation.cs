namespace NetGen;

/// <summary>The activation a <see cref="DenseAttribute"/> layer applies to its weighted sum.</summary>
public enum Activation
{
    /// <summary>f(z) = z.</summary>
    Identity,

    /// <summary>f(z) = 1 / (1 + e^−z).</summary>
    Sigmoid,

    /// <summary>f(z) = tanh z.</summary>
    Tanh,

    /// <summary>f(z) = max(z, 0).</summary>
    ReLU,

    /// <summary>f(z) = z for z &gt; 0, else 0.01·z.</summary>
    LeakyReLU,

    /// <summary>
    /// f(z)ᵢ = e^zᵢ / Σⱼ e^zⱼ. Only on the last layer, and only with <see cref="Loss.CrossEntropy"/>,
    /// which fuses it with the loss so that the gradient stays exact and numerically stable.
    /// </summary>
    Softmax,
}
