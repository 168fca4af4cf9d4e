using System;

namespace NetGen;

/// <summary>
/// Pooling over each channel of a (C, H, W) input: every <see cref="Size"/> × <see cref="Size"/> window, taken every
/// <see cref="Stride"/> rows and columns, becomes the mean of each window. PyTorch's <c>nn.AvgPool2d</c> without padding.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class AvgPool2DAttribute : Attribute
{
    /// <summary>Declares pooling over windows of <paramref name="size"/> × <paramref name="size"/>.</summary>
    public AvgPool2DAttribute(int size) => Size = size;

    /// <summary>The height and width of a window.</summary>
    public int Size { get; }

    /// <summary>The step between two windows; 0 (the default) means <see cref="Size"/>, windows that do not overlap.</summary>
    public int Stride { get; set; }
}
