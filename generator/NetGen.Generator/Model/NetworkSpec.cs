using NetGen.Generator.Helpers;

namespace NetGen.Generator.Model;

/// <summary>A valid network, laid out: the emitter's only input and the cache key of the emit step.</summary>
/// <param name="Type">Where the class lives.</param>
/// <param name="Loss">The loss.</param>
/// <param name="Element">The number type.</param>
/// <param name="Input">The shape of one input sample.</param>
/// <param name="Layers">The layers in order.</param>
/// <param name="Layout">Offsets, buffer sizes and code-shape decisions.</param>
/// <param name="Architecture">The canonical architecture text.</param>
/// <param name="Fingerprint">FNV-1a 64 of <paramref name="Architecture"/>.</param>
internal sealed record NetworkSpec(
    TypeIdentity Type,
    LossKind Loss,
    ElementType Element,
    TensorShape Input,
    EquatableArray<LayerSpec> Layers,
    NetworkLayout Layout,
    string Architecture,
    ulong Fingerprint)
{
    public LayerSpec OutputLayer => Layers[Layers.Length - 1];

    public int InputSize => Input.Length;

    public int OutputSize => OutputLayer.Output.Length;

    public LayerLayout LayoutOf(LayerSpec layer) => Layout.Layers[layer.Number - 1];
}
