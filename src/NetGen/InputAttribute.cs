using System;

namespace NetGen;

/// <summary>
/// The network's input: a vector of <see cref="Channels"/> floats, or an image of <see cref="Channels"/> ×
/// <see cref="Height"/> × <see cref="Width"/> stored in (C, H, W) order as PyTorch stores it. Declared once, before
/// every layer.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class InputAttribute : Attribute
{
    /// <summary>Declares an input of <paramref name="size"/> floats.</summary>
    public InputAttribute(int size)
        : this(size, 1, 1)
    {
    }

    /// <summary>Declares an image input of <paramref name="channels"/> planes of <paramref name="height"/> × <paramref name="width"/>.</summary>
    public InputAttribute(int channels, int height, int width)
    {
        Channels = channels;
        Height = height;
        Width = width;
    }

    /// <summary>The number of input values: <see cref="Channels"/> · <see cref="Height"/> · <see cref="Width"/>.</summary>
    public int Size => Channels * Height * Width;

    /// <summary>The channel count, or the length of a vector input.</summary>
    public int Channels { get; }

    /// <summary>Rows per channel; 1 for a vector input.</summary>
    public int Height { get; }

    /// <summary>Columns per row; 1 for a vector input.</summary>
    public int Width { get; }
}
