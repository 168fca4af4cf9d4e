using System;

namespace NetGen;

/// <summary>
/// A fully connected layer: y = f(W·x + b) with W of shape [<see cref="Size"/> × inputs], row-major, as PyTorch's
/// <c>nn.Linear</c> stores it. Layers run in the order their attributes are written.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DenseAttribute : Attribute
{
    /// <summary>Declares a layer of <paramref name="size"/> outputs followed by <paramref name="activation"/>.</summary>
    public DenseAttribute(int size, Activation activation)
    {
        Size = size;
        Activation = activation;
    }

    /// <summary>The number of outputs.</summary>
    public int Size { get; }

    /// <summary>The activation applied to the weighted sum.</summary>
    public Activation Activation { get; }
}
