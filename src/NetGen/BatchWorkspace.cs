using System;
using System.ComponentModel;
using System.Threading;

namespace NetGen;

/// <summary>
/// The buffers one batched Forward/Backward needs for up to <see cref="Capacity"/> samples: every layer's activations
/// and deltas as [samples × size] blocks, and a gradient buffer. Create one per thread with
/// <see cref="INetwork.CreateWorkspace"/>; several workspaces can run on one network's parameters at once.
/// </summary>
public sealed class BatchWorkspace
{
    private readonly ThreadLocal<AlignedBuffer> _scratch;
    private int _count;

    /// <summary>Allocates buffers for a network of the given sizes; generated code calls this.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public BatchWorkspace(
        int capacity, int inputSize, int activationCount, int deltaCount, int parameterCount, int transposeCount, ulong architectureFingerprint, int scratchLength = 0)
    {
        if (capacity <= 0 || (long)capacity * Math.Max(activationCount, deltaCount) > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, $"A workspace holds between 1 and {Array.MaxLength / Math.Max(1, Math.Max(activationCount, deltaCount))} samples of this network.");
        }

        Capacity = capacity;
        InputSize = inputSize;
        ArchitectureFingerprint = architectureFingerprint;
        Activations = new AlignedBuffer(capacity * activationCount);
        Deltas = new AlignedBuffer(capacity * deltaCount);
        Gradients = new AlignedBuffer(parameterCount);
        Transpose = new AlignedBuffer(transposeCount);
        _scratch = new ThreadLocal<AlignedBuffer>(() => new AlignedBuffer(scratchLength));
    }

    /// <summary>The most samples one batch may hold.</summary>
    public int Capacity { get; }

    /// <summary>The length of one input row.</summary>
    public int InputSize { get; }

    /// <summary>The architecture the workspace was made for.</summary>
    public ulong ArchitectureFingerprint { get; }

    /// <summary>
    /// The samples in the last batched Forward; 0 before any. Split passes (<see cref="INetwork.ForwardLayerBatch"/>
    /// and the others) run on this many samples: set it after writing their inputs to <see cref="InputRows"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not between 0 and <see cref="Capacity"/>.</exception>
    public int Count
    {
        get => _count;
        set
        {
            if (value < 0 || value > Capacity)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, $"A batch in this workspace holds between 0 and {Capacity} samples.");
            }

            _count = value;
        }
    }

    /// <summary>
    /// The first <paramref name="count"/> rows of the block that batched Forward reads its inputs from. Write a batch
    /// here and pass the same span as the inputs of <see cref="INetwork.ForwardBatch"/> to save it copying them.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is not between 1 and <see cref="Capacity"/>.</exception>
    public Span<float> InputRows(int count)
    {
        if (count <= 0 || count > Capacity)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"A batch in this workspace holds between 1 and {Capacity} samples.");
        }

        return Activations.Slice(0, count * InputSize);
    }

    /// <summary>
    /// Copies a batch of <paramref name="inputs"/> into the input rows, unless they are those rows already (see
    /// <see cref="InputRows"/>). For generated code, which has checked the length.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void SetInputRows(ReadOnlySpan<float> inputs)
    {
        Span<float> rows = Activations.Slice(0, inputs.Length);
        if (!inputs.Overlaps(rows, out int shift) || shift != 0)
        {
            inputs.CopyTo(rows);
        }
    }

    /// <summary>
    /// Samples [<paramref name="first"/>, <paramref name="first"/> + <paramref name="count"/>) of the activation block
    /// that starts at <paramref name="slot"/> per sample, rows of <paramref name="rowLength"/>. For generated code.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public Span<float> ActivationRows(int slot, int rowLength, int first, int count) =>
        Activations.Slice(Capacity * slot + first * rowLength, count * rowLength);

    /// <summary>The same rows of the delta block that starts at <paramref name="slot"/> per sample. For generated code.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public Span<float> DeltaRows(int slot, int rowLength, int first, int count) =>
        Deltas.Slice(Capacity * slot + first * rowLength, count * rowLength);

    /// <summary>Layer activations, one [Capacity × size] block per layer, inputs first. For generated code.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public AlignedBuffer Activations { get; }

    /// <summary>Layer deltas dLoss/d(output), then dLoss/dz in place, one [Capacity × size] block per layer. For generated code.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public AlignedBuffer Deltas { get; }

    /// <summary>The gradients that batched Backward adds to, laid out as the network's parameters.</summary>
    public Span<float> GradientSpan => Gradients.Span;

    /// <summary>The gradient buffer. For generated code.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public AlignedBuffer Gradients { get; }

    /// <summary>
    /// Scratch for the convolution kernels (one layer's patches of one sample at a time), one buffer per thread: threads
    /// that split one workspace's layers by channels (<see cref="ThreadSplit.Outputs"/>) each unfold their own patches.
    /// Allocated on a thread's first use. For generated code.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public AlignedBuffer Scratch => _scratch.Value!;

    /// <summary>
    /// The key of this batch's dropout masks. A network with dropout layers draws, in training mode, a mask for each
    /// sample from this key and the sample's batch row (<see cref="DropoutFirstRow"/> plus its row here), so give every
    /// training batch a new key: <see cref="Trainer{TNetwork}"/> derives one from its seed, the epoch and the step, which
    /// makes a seeded run repeat its masks bit for bit whatever the thread count.
    /// </summary>
    public ulong DropoutKey { get; set; }

    /// <summary>
    /// The row of the whole batch that this workspace's first sample is: a trainer that splits one batch among several
    /// workspaces sets it so that each sample keeps the mask it would have in one workspace.
    /// </summary>
    public int DropoutFirstRow { get; set; }

    /// <summary>Scratch for the transposed weights of narrow layers during batched passes. For generated code.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public AlignedBuffer Transpose { get; }
}
