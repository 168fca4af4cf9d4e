using System;
using System.ComponentModel;

namespace NetGen;

/// <summary>
/// The buffers one batched Forward/Backward needs for up to <see cref="Capacity"/> samples: every layer's activations
/// and deltas as [samples × size] blocks, and a gradient buffer. Create one per thread with
/// <see cref="INetwork.CreateWorkspace"/>; several workspaces can run on one network's parameters at once.
/// </summary>
public sealed class BatchWorkspace
{
    /// <summary>Allocates buffers for a network of the given sizes; generated code calls this.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public BatchWorkspace(int capacity, int activationCount, int deltaCount, int parameterCount, ulong architectureFingerprint)
    {
        if (capacity <= 0 || (long)capacity * Math.Max(activationCount, deltaCount) > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, $"A workspace holds between 1 and {Array.MaxLength / Math.Max(1, Math.Max(activationCount, deltaCount))} samples of this network.");
        }

        Capacity = capacity;
        ArchitectureFingerprint = architectureFingerprint;
        Activations = new AlignedBuffer(capacity * activationCount);
        Deltas = new AlignedBuffer(capacity * deltaCount);
        Gradients = new AlignedBuffer(parameterCount);
    }

    /// <summary>The most samples one batch may hold.</summary>
    public int Capacity { get; }

    /// <summary>The architecture the workspace was made for.</summary>
    public ulong ArchitectureFingerprint { get; }

    /// <summary>The samples in the last batched Forward; 0 before any.</summary>
    public int Count { get; set; }

    /// <summary>Layer activations, one [Capacity × size] block per layer. For generated code.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public AlignedBuffer Activations { get; }

    /// <summary>Layer deltas dLoss/dz, one [Capacity × size] block per layer. For generated code.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public AlignedBuffer Deltas { get; }

    /// <summary>The gradients that batched Backward adds to, laid out as the network's parameters.</summary>
    public Span<float> GradientSpan => Gradients.Span;

    /// <summary>The gradient buffer. For generated code.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public AlignedBuffer Gradients { get; }
}
