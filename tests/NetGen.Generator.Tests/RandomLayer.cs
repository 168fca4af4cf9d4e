using System;
using System.Collections.Generic;
using System.Linq;

namespace NetGen.Generator.Tests;

/// <summary>The attribute a layer of a random declaration is written with; the names are the attributes' names.</summary>
internal enum LayerAttribute
{
    Dense,
    Conv2D,
    MaxPool2D,
    AvgPool2D,
    Flatten,
    Dropout,
}

/// <summary>
/// One layer attribute of a <see cref="RandomDeclaration"/>, as written: <see cref="Size"/> is the units, filters or
/// window; <see cref="Stride"/> and <see cref="Padding"/> are null when the named argument is not written;
/// <see cref="Rate"/> is the dropout rate's literal, suffix included.
/// </summary>
internal sealed record RandomLayer(
    LayerAttribute Kind, int Size, int Activation = 0, int Kernel = 0, int? Stride = null, int? Padding = null, string Rate = "0", bool PaddingFirst = false)
{
    private static readonly string[] ActivationNames = Enum.GetNames<Activation>();

    public static RandomLayer Dense(int size, int activation) => new(LayerAttribute.Dense, size, activation);

    public static RandomLayer Dropout(string rate) => new(LayerAttribute.Dropout, 0, Rate: rate);

    public static RandomLayer Flatten { get; } = new(LayerAttribute.Flatten, 0);

    /// <summary>A convolution or a pooling layer: one that needs an image.</summary>
    public bool IsSpatial => Kind is LayerAttribute.Conv2D or LayerAttribute.MaxPool2D or LayerAttribute.AvgPool2D;

    /// <summary>A layer whose activation the validator judges.</summary>
    public bool HasActivation => Kind is LayerAttribute.Dense or LayerAttribute.Conv2D;

    public bool IsPool => Kind is LayerAttribute.MaxPool2D or LayerAttribute.AvgPool2D;

    /// <summary>The attribute as C#, e.g. <c>[Conv2D(4, 3, Activation.ReLU, Stride = 2, Padding = 1)]</c>.</summary>
    public string Render()
    {
        var named = new List<string>();
        if (Stride is { } stride)
        {
            named.Add($"Stride = {stride}");
        }

        if (Padding is { } padding)
        {
            named.Insert(PaddingFirst ? 0 : named.Count, $"Padding = {padding}");
        }

        string tail = string.Concat(named.Select(argument => ", " + argument));
        return Kind switch
        {
            LayerAttribute.Dense => $"[Dense({Size}, {RenderActivation(Activation)})]",
            LayerAttribute.Conv2D => $"[Conv2D({Size}, {Kernel}, {RenderActivation(Activation)}{tail})]",
            LayerAttribute.MaxPool2D or LayerAttribute.AvgPool2D => $"[{Kind}({Size}{tail})]",
            LayerAttribute.Flatten => "[Flatten]",
            _ => $"[Dropout({Rate})]",
        };
    }

    public static string RenderActivation(int activation) =>
        activation is >= 0 and <= 5 ? "Activation." + ActivationNames[activation] : $"(Activation){activation}";

    /// <summary>
    /// The (channels, height, width) this layer writes when it reads <paramref name="shape"/>, by the rules the
    /// generator documents: a convolution's output side is (H + 2P − K)/S + 1, a pool's (H − K)/S + 1 with S defaulting
    /// to the window. Only for layers whose windows fit; Dense and Flatten leave the image, so they are not asked.
    /// </summary>
    public (int Channels, int Height, int Width) Apply((int Channels, int Height, int Width) shape)
    {
        switch (Kind)
        {
            case LayerAttribute.Conv2D:
            {
                int stride = Stride ?? 1, padding = Padding ?? 0;
                return (Size, (shape.Height + 2 * padding - Kernel) / stride + 1, (shape.Width + 2 * padding - Kernel) / stride + 1);
            }

            case LayerAttribute.MaxPool2D or LayerAttribute.AvgPool2D:
            {
                int stride = Stride ?? Size;
                return (shape.Channels, (shape.Height - Size) / stride + 1, (shape.Width - Size) / stride + 1);
            }

            default:
                return shape;
        }
    }

    /// <summary>Whether a window of <paramref name="window"/> moving by <paramref name="stride"/> covers a padded side exactly.</summary>
    public static bool Fits(int paddedHeight, int paddedWidth, int window, int stride) =>
        window <= paddedHeight && window <= paddedWidth && (paddedHeight - window) % stride == 0 && (paddedWidth - window) % stride == 0;
}
