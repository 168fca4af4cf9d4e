using System.Globalization;

namespace NetGen.Generator.Model;

/// <summary>
/// A 2-D convolution: a[f] = f(b[f] + Σ_c W[f, c] ⊛ x[c]) with <see cref="Filters"/> filters of
/// C × <see cref="KernelSize"/> × <see cref="KernelSize"/>, stored [filters, channels, kernel, kernel] as PyTorch's
/// <c>Conv2d.weight</c>, the biases [filters] after them.
/// </summary>
internal sealed record Conv2DLayerSpec(
    int Number, TensorShape Input, TensorShape Output, ActivationKind Activation, int KernelSize, int Stride, int Padding)
    : LayerSpec(Number, Input, Output, Activation)
{
    public int Filters => Output.Channels;

    /// <summary>The weights of one filter: one column of the input's patches.</summary>
    public int PatchLength => Input.Channels * KernelSize * KernelSize;

    public int WeightCount => Filters * PatchLength;

    public override long Parameters => (long)Filters * PatchLength + Filters;

    public override string Describe() =>
        $"Conv2D({Filters},{KernelSize},{Activation}{Named("Stride", Stride, 1)}{Named("Padding", Padding, 0)})";

    /// <summary>", Name=value" for a named argument that differs from its default.</summary>
    internal static string Named(string name, int value, int defaultValue) =>
        value == defaultValue ? "" : "," + name + "=" + value.ToString(CultureInfo.InvariantCulture);
}
