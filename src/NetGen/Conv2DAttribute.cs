using System;

namespace NetGen;

/// <summary>
/// A 2-D convolution over a (C, H, W) input: <see cref="Filters"/> filters of C × <see cref="KernelSize"/> ×
/// <see cref="KernelSize"/> weights and one bias each, slid with <see cref="Stride"/> over the input padded with
/// <see cref="Padding"/> zeros on each side, then <see cref="Activation"/>. PyTorch's <c>nn.Conv2d</c>: the weights
/// are stored [filters, channels, kernel, kernel] as its <c>weight</c>, the biases [filters] after them.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class Conv2DAttribute : Attribute
{
    /// <summary>Declares <paramref name="filters"/> filters of <paramref name="kernelSize"/> × <paramref name="kernelSize"/> followed by <paramref name="activation"/>.</summary>
    public Conv2DAttribute(int filters, int kernelSize, Activation activation)
    {
        Filters = filters;
        KernelSize = kernelSize;
        Activation = activation;
    }

    /// <summary>The number of filters: the output's channels.</summary>
    public int Filters { get; }

    /// <summary>The height and width of each filter.</summary>
    public int KernelSize { get; }

    /// <summary>The activation applied to each output.</summary>
    public Activation Activation { get; }

    /// <summary>The step between two applications of a filter, in both directions; 1 unless set.</summary>
    public int Stride { get; set; } = 1;

    /// <summary>The zeros added on each side of the input's height and width; 0 unless set.</summary>
    public int Padding { get; set; }
}
