using System;
using System.Globalization;

namespace NetGen;

/// <summary>
/// The shape of the tensor a layer reads or writes for one sample: channels × height × width, stored in that order
/// (as PyTorch's (C, H, W)). A flat vector of n values is n × 1 × 1.
/// </summary>
/// <param name="Channels">The channel count, or the length of a flat vector.</param>
/// <param name="Height">Rows per channel; 1 for a flat vector.</param>
/// <param name="Width">Columns per row; 1 for a flat vector.</param>
public readonly record struct TensorShape(int Channels, int Height, int Width)
{
    /// <summary>The values in one sample's tensor: <c>Channels · Height · Width</c>.</summary>
    public int Length => Channels * Height * Width;

    /// <summary>True for a flat vector (height and width 1).</summary>
    public bool IsFlat => Height == 1 && Width == 1;

    /// <summary>A flat vector of <paramref name="length"/> values.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is not positive.</exception>
    public static TensorShape Vector(int length)
    {
        if (length <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "A vector needs at least one value.");
        }

        return new TensorShape(length, 1, 1);
    }

    /// <summary><c>784</c> for a flat vector, <c>1×28×28</c> otherwise.</summary>
    public override string ToString() =>
        IsFlat
            ? Channels.ToString(CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{Channels}×{Height}×{Width}");
}
