using NetGen.Generator.Helpers;

namespace NetGen.Generator.Emitters;

/// <summary>
/// Writes one layer kind. The class frame (<see cref="NetworkGenerator.Emitter"/>) calls these once per layer and
/// composes the passes from the per-layer methods they write, whose names and parameters are fixed:
/// <list type="bullet">
/// <item><c>LayerNForward()</c> and <c>LayerNBackward()</c>, one sample. Backward receives dLoss/d(its output) in its
/// delta slot, applies its own activation's derivative unless the loss already did (the output layer), adds its
/// parameter gradients and writes dLoss/d(its input) into the previous layer's delta slot.</item>
/// <item><c>LayerNForwardBatch(workspace, first, count, firstOutput, endOutput)</c>, a block of samples.</item>
/// <item><c>LayerNActivationBackwardBatch(workspace, count, firstOutput, endOutput)</c> when the layer applies a
/// derivative; <c>LayerNWeightGradientsBatch</c> with the same parameters when it has parameters;
/// <c>LayerNInputDeltaBatch(workspace, count, firstInput, endInput)</c> for every layer but the first.</item>
/// </list>
/// </summary>
internal interface ILayerEmitter
{
    /// <summary>The kind-specific private constants (the frame writes sizes and arena offsets).</summary>
    void WriteConstants(IndentedWriter writer, LayerContext layer);

    /// <summary>One row of the class summary's layer table (<see cref="LayerContext.SummaryRow"/>).</summary>
    string Summary(LayerContext layer);

    /// <summary>
    /// The layer's modules in the PyTorch twin, in order, e.g. <c>torch.nn.Linear(784, 256)</c> then
    /// <c>torch.nn.ReLU()</c>; the runtime's <c>NetGen.PyTorchTwin</c> follows the same mapping for parameter names.
    /// </summary>
    System.Collections.Generic.IEnumerable<string> PyTorchModules(LayerContext layer);

    /// <summary>The <c>NetGen.LayerInfo</c> expression that describes the layer at run time; '\n' where it continues on another line.</summary>
    string LayerInfo(LayerContext layer);

    /// <summary>Statements inside <c>DrawParameters(parameters, seed)</c> that draw this layer's parameters from <c>random</c>.</summary>
    void WriteInitialization(IndentedWriter writer, LayerContext layer);

    /// <summary>Writes <c>LayerNForward</c> and <c>LayerNBackward</c>.</summary>
    void WriteSampleMethods(IndentedWriter writer, LayerContext layer);

    /// <summary>Writes the batched methods listed on the interface, and any helper they need.</summary>
    void WriteBatchMethods(IndentedWriter writer, LayerContext layer);

    /// <summary>
    /// A statement the batched forward runs once per batch for outputs [<paramref name="firstOutput"/>,
    /// <paramref name="endOutput"/>) before its blocks of samples (a Dense layer's Wᵀ), or null.
    /// </summary>
    string? BatchPreparation(LayerContext layer, string firstOutput, string endOutput);
}
