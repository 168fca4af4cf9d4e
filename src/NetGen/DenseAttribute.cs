using System;

namespace NetGen;

/// <summary>
/// A fully connected layer: y = f(x·W + b) with W of shape [inputs × <see cref="Size"/>], row-major (input-major, as a
/// Keras <c>Dense</c> kernel; the transpose of PyTorch's <c>nn.Linear</c> weight). Layers run in the order their
/// attributes are written.
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
