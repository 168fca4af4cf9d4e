namespace NetGen.Generator.Model;

/// <summary>A validated Dense layer with everything the emitter needs precomputed.</summary>
/// <param name="Number">1 for the first Dense layer.</param>
/// <param name="Inputs">The previous layer's size.</param>
/// <param name="Outputs">This layer's size.</param>
/// <param name="Activation">The activation after the weighted sum.</param>
/// <param name="WeightsOffset">Where W [Outputs × Inputs] starts in the parameter buffer.</param>
/// <param name="BiasesOffset">Where b [Outputs] starts.</param>
/// <param name="InputOffset">Where this layer's input starts in the activation arena.</param>
/// <param name="OutputOffset">Where this layer's output starts in the activation arena.</param>
/// <param name="DeltaOffset">Where dLoss/dz of this layer starts in the delta arena.</param>
/// <param name="Unrolled">Whether the layer is emitted with every multiply-add written out.</param>
internal sealed record LayerSpec(
    int Number,
    int Inputs,
    int Outputs,
    ActivationKind Activation,
    int WeightsOffset,
    int BiasesOffset,
    int InputOffset,
    int OutputOffset,
    int DeltaOffset,
    bool Unrolled)
{
    public int WeightCount => Inputs * Outputs;
}
