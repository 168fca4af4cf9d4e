using NetGen.Generator.Helpers;

namespace NetGen.Generator.Model;

/// <summary>Every buffer size of a network and each layer's <see cref="LayerLayout"/>, in layer order.</summary>
/// <param name="Layers">One layout per layer, index n − 1 for layer n.</param>
/// <param name="ParameterCount">All parameters.</param>
/// <param name="ActivationCount">The activation arena per sample: the input, each layer's output, and kept logits.</param>
/// <param name="DeltaCount">The delta arena per sample: dLoss/d(output) of every layer.</param>
/// <param name="TransposeCount">Workspace scratch for transposed weights; 0 when no layer needs it.</param>
/// <param name="ForwardSampleBlock">The samples batched Forward takes through every layer before the next ones.</param>
internal sealed record NetworkLayout(
    EquatableArray<LayerLayout> Layers,
    int ParameterCount,
    int ActivationCount,
    int DeltaCount,
    int TransposeCount,
    int ForwardSampleBlock);
