namespace NetGen.Generator.Model;

/// <summary>
/// The shape of one sample's tensor between two layers: channels × height × width, stored in that order. A flat vector
/// of n values is n × 1 × 1. Mirrors <c>NetGen.TensorShape</c>.
/// </summary>
internal readonly record struct TensorShape(int Channels, int Height, int Width)
{
    public static TensorShape Vector(int length) => new(length, 1, 1);

    public int Length => Channels * Height * Width;

    public bool IsFlat => Height == 1 && Width == 1;

    /// <summary><c>784</c> for a flat vector, <c>1×28×28</c> otherwise, as comments and the architecture text show it.</summary>
    public override string ToString() =>
        IsFlat ? Channels.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{Channels}×{Height}×{Width}";
}
