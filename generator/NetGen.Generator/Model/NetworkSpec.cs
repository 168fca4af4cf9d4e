using NetGen.Generator.Helpers;

namespace NetGen.Generator.Model;

/// <summary>A valid network, laid out: the emitter's only input and the cache key of the emit step.</summary>
/// <param name="Type">Where the class lives.</param>
/// <param name="Loss">The loss.</param>
/// <param name="InputSize">The input vector's length.</param>
/// <param name="Layers">The Dense layers in order.</param>
/// <param name="UnrollThreshold">The largest weight count emitted unrolled.</param>
/// <param name="ParameterCount">All weights and biases.</param>
/// <param name="LogitsOffset">Where the output layer's pre-activation z sits in the activation arena, or −1 when the loss does not need it.</param>
/// <param name="ActivationCount">The activation arena's length.</param>
/// <param name="DeltaCount">The delta arena's length.</param>
/// <param name="Architecture">The canonical architecture text.</param>
/// <param name="Fingerprint">FNV-1a 64 of <paramref name="Architecture"/>.</param>
/// <param name="UseFusedMultiplyAdd">The target framework has <c>Vector.FusedMultiplyAdd</c> (.NET 9 and later).</param>
internal sealed record NetworkSpec(
    TypeIdentity Type,
    LossKind Loss,
    int InputSize,
    EquatableArray<LayerSpec> Layers,
    int UnrollThreshold,
    int ParameterCount,
    int LogitsOffset,
    int ActivationCount,
    int DeltaCount,
    string Architecture,
    ulong Fingerprint,
    bool UseFusedMultiplyAdd)
{
    public LayerSpec OutputLayer => Layers[Layers.Length - 1];

    public int OutputSize => OutputLayer.Outputs;
}
