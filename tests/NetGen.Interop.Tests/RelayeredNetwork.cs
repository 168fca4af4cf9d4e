using System;
using System.Collections.Generic;

namespace NetGen.Interop.Tests;

/// <summary>
/// A network that describes other <see cref="INetwork.Layers"/> than its own, to reach the export's refusals (an
/// activation it cannot map, sizes that do not chain), which no generated network has. Everything else is the inner
/// network's.
/// </summary>
internal sealed class RelayeredNetwork(INetwork inner, params LayerInfo[] layers) : INetwork
{
    public IReadOnlyList<LayerInfo> Layers => layers;

    public int InputSize => inner.InputSize;
    public int OutputSize => inner.OutputSize;
    public int ParameterCount => inner.ParameterCount;
    public string Architecture => inner.Architecture;
    public ulong ArchitectureFingerprint => inner.ArchitectureFingerprint;
    public Span<float> Parameters => inner.Parameters;
    public Span<float> Gradients => inner.Gradients;
    public NetworkMode Mode { get => inner.Mode; set => inner.Mode = value; }

    public void Forward(ReadOnlySpan<float> input, Span<float> output) => inner.Forward(input, output);
    public float Backward(ReadOnlySpan<float> target) => inner.Backward(target);
    public float EvaluateLoss(ReadOnlySpan<float> target) => inner.EvaluateLoss(target);
    public void ZeroGradients() => inner.ZeroGradients();
    public void InitializeParameters(int seed) => inner.InitializeParameters(seed);
    public BatchWorkspace CreateWorkspace(int capacity) => inner.CreateWorkspace(capacity);
    public void ForwardBatch(BatchWorkspace workspace, ReadOnlySpan<float> inputs, Span<float> outputs) => inner.ForwardBatch(workspace, inputs, outputs);
    public float BackwardBatch(BatchWorkspace workspace, ReadOnlySpan<float> targets) => inner.BackwardBatch(workspace, targets);
    public float EvaluateLossBatch(BatchWorkspace workspace, ReadOnlySpan<float> targets) => inner.EvaluateLossBatch(workspace, targets);
    public void ForwardLayerBatch(BatchWorkspace workspace, int layer, int firstOutput, int endOutput) => inner.ForwardLayerBatch(workspace, layer, firstOutput, endOutput);
    public float OutputLossBatch(BatchWorkspace workspace, ReadOnlySpan<float> targets, Span<float> outputs, int firstRow, int endRow) =>
        inner.OutputLossBatch(workspace, targets, outputs, firstRow, endRow);
    public void WeightGradientsBatch(BatchWorkspace workspace, int layer, int firstOutput, int endOutput) => inner.WeightGradientsBatch(workspace, layer, firstOutput, endOutput);
    public void InputDeltaBatch(BatchWorkspace workspace, int layer, int firstInput, int endInput) => inner.InputDeltaBatch(workspace, layer, firstInput, endInput);
}
