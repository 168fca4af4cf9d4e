using System.Globalization;

namespace NetGen.Generator.Model;

/// <summary>
/// Inverted dropout: in training each value is kept with probability 1 − <see cref="Rate"/> and scaled by
/// 1/(1 − <see cref="Rate"/>), or zeroed; in evaluation the identity. Keeps its input's shape.
/// </summary>
internal sealed record DropoutLayerSpec(int Number, TensorShape Input, float Rate)
    : LayerSpec(Number, Input, Input, ActivationKind.Identity)
{
    public override long Parameters => 0;

    /// <summary>The rate as C# writes a float literal: <c>0.25f</c>.</summary>
    public string RateLiteral => RateText + "f";

    /// <summary>The shortest text that reads back as the same float: <c>0.25</c>.</summary>
    public string RateText => Rate.ToString("R", CultureInfo.InvariantCulture);

    public override string Describe() => $"Dropout({RateText})";
}
