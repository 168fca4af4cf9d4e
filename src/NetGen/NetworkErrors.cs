using System;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;

namespace NetGen;

/// <summary>
/// Throw helpers that generated networks call for bad run-time input. Kept out of the generated methods so that
/// their hot paths stay small enough to inline.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class NetworkErrors
{
    /// <summary>Throws the <see cref="ArgumentException"/> for a span of the wrong length.</summary>
    [DoesNotReturn]
    public static void ThrowLengthMismatch(string parameterName, int expectedLength, int actualLength) =>
        throw new ArgumentException(
            $"'{parameterName}' must hold exactly {expectedLength} floats, but it holds {actualLength}.", parameterName);

    /// <summary>Throws the <see cref="ArgumentException"/> of <see cref="ThrowLengthMismatch"/> unless the lengths agree.</summary>
    public static void CheckLength(string parameterName, int expectedLength, int actualLength)
    {
        if (actualLength != expectedLength)
        {
            ThrowLengthMismatch(parameterName, expectedLength, actualLength);
        }
    }

    /// <summary>Checks a Backward or EvaluateLoss call: a target of the output's length, after a Forward on the same instance.</summary>
    public static void CheckTarget(string networkName, int outputSize, int targetLength, bool hasForwardState)
    {
        CheckLength("target", outputSize, targetLength);
        if (!hasForwardState)
        {
            ThrowNoForward(networkName);
        }
    }

    /// <summary>Throws the <see cref="InvalidOperationException"/> for a Backward or EvaluateLoss with no Forward before it.</summary>
    [DoesNotReturn]
    public static void ThrowNoForward(string networkName) =>
        throw new InvalidOperationException(
            $"{networkName}.Backward and {networkName}.EvaluateLoss need the activations of a Forward on the same instance; call Forward(input, output) first.");

    /// <summary>
    /// Checks a batched call's arguments and returns the number of samples: whole rows of <paramref name="rowLength"/>
    /// in <paramref name="length"/>, no more than the workspace holds, from a workspace of this architecture.
    /// </summary>
    public static int BatchCount(BatchWorkspace workspace, ulong fingerprint, string parameterName, int length, int rowLength)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        if (workspace.ArchitectureFingerprint != fingerprint)
        {
            throw new ArgumentException("The workspace was created by a network of another architecture; create it with this network's CreateWorkspace.", nameof(workspace));
        }

        if (length % rowLength != 0)
        {
            throw new ArgumentException($"'{parameterName}' must hold whole rows of {rowLength} floats, but it holds {length}.", parameterName);
        }

        int count = length / rowLength;
        if (count > workspace.Capacity)
        {
            throw new ArgumentException($"'{parameterName}' holds {count} samples but the workspace holds at most {workspace.Capacity}.", parameterName);
        }

        return count;
    }

    /// <summary>Throws for a batched Backward whose targets do not match the last batched Forward.</summary>
    public static void CheckBatchTargets(BatchWorkspace workspace, int length, int rowLength)
    {
        if (workspace.Count == 0)
        {
            throw new InvalidOperationException("BackwardBatch and EvaluateLossBatch need the activations of a ForwardBatch on the same workspace; call ForwardBatch first.");
        }

        if (length != workspace.Count * rowLength)
        {
            throw new ArgumentException(
                $"'targets' must hold exactly {workspace.Count * rowLength} floats ({workspace.Count} samples of {rowLength}) to match the last ForwardBatch, but it holds {length}.", "targets");
        }
    }

    /// <summary>Checks a split pass's workspace and returns its sample count, which the caller set with the inputs.</summary>
    public static int SplitPassCount(BatchWorkspace workspace, ulong fingerprint)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        if (workspace.ArchitectureFingerprint != fingerprint)
        {
            throw new ArgumentException("The workspace was created by a network of another architecture; create it with this network's CreateWorkspace.", nameof(workspace));
        }

        if (workspace.Count == 0)
        {
            throw new InvalidOperationException("A split pass runs on the workspace's Count samples; write the inputs to InputRows(count) and set Count first.");
        }

        return workspace.Count;
    }

    /// <summary>Throws unless <paramref name="layer"/> is a zero-based layer index in [<paramref name="firstLayer"/>, <paramref name="layerCount"/>).</summary>
    public static void CheckLayer(int layer, int firstLayer, int layerCount)
    {
        if (layer < firstLayer || layer >= layerCount)
        {
            string expected = firstLayer >= layerCount
                ? "the inputs need no δ, and this network has no layer after the first"
                : firstLayer > 0 && layer == 0
                    ? $"the inputs need no δ; expected a zero-based layer index between {firstLayer} and {layerCount - 1}"
                    : $"expected a zero-based layer index between {firstLayer} and {layerCount - 1}";
            throw new ArgumentOutOfRangeException(nameof(layer), layer, $"No such layer: {expected}.");
        }
    }

    /// <summary>Throws unless [<paramref name="first"/>, <paramref name="end"/>) is a range within [0, <paramref name="size"/>).</summary>
    public static void CheckRange(int first, int end, int size, string noun)
    {
        if (first < 0 || first > end || end > size)
        {
            throw new ArgumentOutOfRangeException(
                nameof(first), $"[{first}, {end}) is not a range of the {size} {noun}: expected 0 ≤ first ≤ end ≤ {size}.");
        }
    }

    /// <summary>
    /// The channels [first, end) / <paramref name="plane"/> of a range of a layer's values that stores whole channels
    /// of <paramref name="plane"/> values each (convolution and pooling): their split passes work a channel at a time.
    /// </summary>
    /// <exception cref="ArgumentException">The range does not start and end on channel boundaries.</exception>
    public static (int First, int End) ChannelRange(int first, int end, int plane)
    {
        if (first % plane != 0 || end % plane != 0)
        {
            throw new ArgumentException(
                $"A convolution or pooling layer computes whole channels of {plane} values: the range [{first}, {end}) must start and end on multiples of {plane}.");
        }

        return (first / plane, end / plane);
    }
}
