using System;
using System.Collections.Generic;

namespace NetGen;

/// <summary>
/// What every generated network exposes to architecture-independent code such as <see cref="Trainer{TNetwork}"/>.
/// The generated class implements it; the sizes are also <c>public const</c> fields there.
/// </summary>
/// <remarks>
/// An instance holds the activations of its last <see cref="Forward"/>, so it serves one thread at a time.
/// Give each thread its own instance (copy <see cref="Parameters"/> between them).
/// </remarks>
public interface INetwork
{
    /// <summary>The length of the input vector.</summary>
    int InputSize { get; }

    /// <summary>The length of the output vector.</summary>
    int OutputSize { get; }

    /// <summary>The number of weights and biases.</summary>
    int ParameterCount { get; }

    /// <summary>A canonical description of the architecture and loss, e.g. <c>Input(2) Dense(4,Tanh) Dense(1,Sigmoid) Loss=BinaryCrossEntropy</c>.</summary>
    string Architecture { get; }

    /// <summary>A 64-bit FNV-1a hash of <see cref="Architecture"/>, computed by the generator; checkpoints carry it.</summary>
    ulong ArchitectureFingerprint { get; }

    /// <summary>
    /// All weights and biases in one buffer: for each Dense layer in order, its weights [inputs × outputs] row-major
    /// (element i·outputs + o connects input i to output o, as a Keras <c>Dense</c> kernel; PyTorch's <c>nn.Linear</c>
    /// weight is its transpose), then its biases [outputs].
    /// </summary>
    Span<float> Parameters { get; }

    /// <summary>dLoss/dParameters accumulated by <see cref="Backward"/>, laid out as <see cref="Parameters"/>.</summary>
    Span<float> Gradients { get; }

    /// <summary>Runs the forward pass and keeps what <see cref="Backward"/> needs.</summary>
    /// <exception cref="ArgumentException">A span's length differs from <see cref="InputSize"/> or <see cref="OutputSize"/>.</exception>
    void Forward(ReadOnlySpan<float> input, Span<float> output);

    /// <summary>
    /// Returns the loss of the last <see cref="Forward"/>'s output against <paramref name="target"/> and ADDS this
    /// sample's dLoss/dParameters to <see cref="Gradients"/>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="target"/>'s length differs from <see cref="OutputSize"/>.</exception>
    /// <exception cref="InvalidOperationException">No <see cref="Forward"/> has run on this instance.</exception>
    float Backward(ReadOnlySpan<float> target);

    /// <summary>
    /// Returns the loss of the last <see cref="Forward"/>'s output against <paramref name="target"/>, as
    /// <see cref="Backward"/> does, but leaves <see cref="Gradients"/> alone: for evaluation.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="target"/>'s length differs from <see cref="OutputSize"/>.</exception>
    /// <exception cref="InvalidOperationException">No <see cref="Forward"/> has run on this instance.</exception>
    float EvaluateLoss(ReadOnlySpan<float> target);

    /// <summary>Sets every gradient to zero.</summary>
    void ZeroGradients();

    /// <summary>
    /// Draws fresh parameters from <paramref name="seed"/>: He-uniform weights for ReLU and LeakyReLU layers,
    /// Xavier/Glorot-uniform for the others, zero biases. The same seed gives the same parameters.
    /// </summary>
    void InitializeParameters(int seed);

    /// <summary>Creates the buffers for batched passes of up to <paramref name="capacity"/> samples, with its own gradient buffer.</summary>
    BatchWorkspace CreateWorkspace(int capacity);

    /// <summary>
    /// Runs the forward pass for a batch: <paramref name="inputs"/> is [count × InputSize] row-major,
    /// <paramref name="outputs"/> [count × OutputSize]. Keeps in <paramref name="workspace"/> what
    /// <see cref="BackwardBatch"/> needs. Reads the parameters only, so several workspaces may run at once.
    /// </summary>
    void ForwardBatch(BatchWorkspace workspace, ReadOnlySpan<float> inputs, Span<float> outputs);

    /// <summary>
    /// Returns the SUM of the per-sample losses of the last <see cref="ForwardBatch"/> on <paramref name="workspace"/>
    /// against <paramref name="targets"/> [count × OutputSize], and ADDS the summed gradient to the workspace's gradients.
    /// </summary>
    float BackwardBatch(BatchWorkspace workspace, ReadOnlySpan<float> targets);

    /// <summary>
    /// Returns the SUM of the per-sample losses of the last <see cref="ForwardBatch"/> on <paramref name="workspace"/>,
    /// as <see cref="BackwardBatch"/> does, without computing gradients.
    /// </summary>
    float EvaluateLossBatch(BatchWorkspace workspace, ReadOnlySpan<float> targets);

    /// <summary>The layers, input side first: kind, input and output shapes, activation and parameter blocks.</summary>
    IReadOnlyList<LayerInfo> Layers { get; }

    /// <summary>
    /// Whether <see cref="Forward"/> and <see cref="ForwardBatch"/> compute the training or the evaluation function
    /// (they differ for dropout and normalization layers). A new network starts in <see cref="NetworkMode.Evaluation"/>;
    /// the trainer sets <see cref="NetworkMode.Training"/> for its steps and puts it back for validation.
    /// </summary>
    NetworkMode Mode { get; set; }

    /// <summary>
    /// A split pass: layer <paramref name="layer"/>'s outputs [<paramref name="firstOutput"/>, <paramref name="endOutput"/>)
    /// for the workspace's <see cref="BatchWorkspace.Count"/> samples, from the previous layer's outputs (or the inputs in
    /// <see cref="BatchWorkspace.InputRows"/>). Threads that share one workspace may each compute their own range of a
    /// layer at once; the next layer needs all of them. The output layer's Softmax is left to <see cref="OutputLossBatch"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">No such layer, or the range does not lie within its outputs.</exception>
    /// <exception cref="InvalidOperationException">The workspace's <see cref="BatchWorkspace.Count"/> is 0.</exception>
    void ForwardLayerBatch(BatchWorkspace workspace, int layer, int firstOutput, int endOutput);

    /// <summary>
    /// A split pass over samples [<paramref name="firstRow"/>, <paramref name="endRow"/>) once every layer's forward is
    /// complete: finishes their outputs (Softmax), copies them to their rows of <paramref name="outputs"/>
    /// [Count × OutputSize], writes the output layer's δ and returns their summed loss against <paramref name="targets"/>
    /// [Count × OutputSize].
    /// </summary>
    float OutputLossBatch(BatchWorkspace workspace, ReadOnlySpan<float> targets, Span<float> outputs, int firstRow, int endRow);

    /// <summary>
    /// A split pass: ADDS layer <paramref name="layer"/>'s bias and weight gradients for outputs
    /// [<paramref name="firstOutput"/>, <paramref name="endOutput"/>), summed over the batch, to the workspace's gradients.
    /// Needs the layer's δ for every sample in those outputs.
    /// </summary>
    void WeightGradientsBatch(BatchWorkspace workspace, int layer, int firstOutput, int endOutput);

    /// <summary>
    /// A split pass: the δ of layer <paramref name="layer"/> − 1 for its outputs (this layer's inputs)
    /// [<paramref name="firstInput"/>, <paramref name="endInput"/>), from all of layer <paramref name="layer"/>'s δ.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="layer"/> is 0 (the inputs need no δ) or out of range.</exception>
    void InputDeltaBatch(BatchWorkspace workspace, int layer, int firstInput, int endInput);
}
