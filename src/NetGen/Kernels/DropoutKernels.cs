using System;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NetGen.Kernels;

/// <summary>
/// Inverted dropout over batches of rows of <c>length</c> values, elements [first, end) of each row. Whether an element
/// is kept is a pure function of (key, row of the whole batch, element): a counter-based hash, no random state, so
/// that the same key gives the same masks however the rows are split among threads and workspaces, and a backward
/// pass or a replay can recompute them.
/// </summary>
public static class DropoutKernels
{
    /// <summary>2⁶⁴ / φ, SplitMix64's increment.</summary>
    private const ulong Golden = 0x9E3779B97F4A7C15;

    /// <summary>
    /// Training mode: masks[r, i] = 1 / (1 − rate) when element i of batch row firstRow + r is kept (probability
    /// 1 − rate), else 0, and outputs = inputs · masks. <paramref name="inputs"/>, <paramref name="outputs"/> and
    /// <paramref name="masks"/> are [count × length]; only elements [<paramref name="first"/>, <paramref name="end"/>)
    /// of each row are written. <paramref name="firstRow"/> is the batch row of row 0, so that a part of a batch draws
    /// the part of the whole batch's masks.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rate"/> is outside [0, 1) or NaN.</exception>
    /// <exception cref="ArgumentException">A size or <paramref name="firstRow"/> is negative, a span is shorter than the rows, or the range is outside a row.</exception>
    public static void TrainingForwardBatch(ReadOnlySpan<float> inputs, Span<float> outputs, Span<float> masks, float rate, ulong key, int firstRow, int count, int length, int first, int end)
    {
        if (!(rate >= 0f && rate < 1f))
        {
            ThrowRate(rate);
        }

        KernelArguments.Size(firstRow, nameof(firstRow));
        CheckRows(inputs.Length, outputs.Length, count, length, first, end, nameof(inputs), nameof(outputs));
        KernelArguments.Length(masks.Length, (long)count * length, nameof(masks));

        // Kept when the hash's top 32 bits, uniform in [0, 2³²), reach rate·2³²: probability 1 − rate to within 2⁻³².
        ulong threshold = (ulong)(rate * 4294967296.0);
        float scale = 1f / (1f - rate);
        int scaleBits = BitConverter.SingleToInt32Bits(scale);
        ref float inputStart = ref MemoryMarshal.GetReference(inputs);
        ref float outputStart = ref MemoryMarshal.GetReference(outputs);
        ref float maskStart = ref MemoryMarshal.GetReference(masks);
        ulong keyHash = Finalize(key);
        for (int row = 0; row < count; row++)
        {
            // One SplitMix64 stream per batch row, seeded from the key and the row: element i is its i-th output.
            ulong stream = Finalize(keyHash ^ ((ulong)(firstRow + (long)row) * Golden));
            nint rowOffset = (nint)row * length;
            for (int element = first; element < end; element++)
            {
                ulong hash = Finalize(stream + (ulong)(element + 1L) * Golden);

                // Without a branch: a kept element is a coin flip the predictor would miss half the time at rate 0.5.
                int dropped = (int)(((long)(hash >> 32) - (long)threshold) >> 63);
                float mask = BitConverter.Int32BitsToSingle(scaleBits & ~dropped);
                Unsafe.Add(ref maskStart, rowOffset + element) = mask;
                Unsafe.Add(ref outputStart, rowOffset + element) = Unsafe.Add(ref inputStart, rowOffset + element) * mask;
            }
        }
    }

    /// <summary>
    /// Evaluation mode, the identity: outputs = inputs and masks = 1 over elements [<paramref name="first"/>,
    /// <paramref name="end"/>) of each of the <paramref name="count"/> rows ([count × length] each), so that a backward
    /// pass after it passes δ through unchanged.
    /// </summary>
    /// <exception cref="ArgumentException">A size is negative, a span is shorter than the rows, or the range is outside a row.</exception>
    public static void EvaluationForwardBatch(ReadOnlySpan<float> inputs, Span<float> outputs, Span<float> masks, int count, int length, int first, int end)
    {
        CheckRows(inputs.Length, outputs.Length, count, length, first, end, nameof(inputs), nameof(outputs));
        KernelArguments.Length(masks.Length, (long)count * length, nameof(masks));
        for (int row = 0; row < count; row++)
        {
            int start = row * length + first;
            inputs.Slice(start, end - first).CopyTo(outputs.Slice(start, end - first));
            masks.Slice(start, end - first).Fill(1f);
        }
    }

    /// <summary>
    /// inputDeltas = deltas · masks, overwriting elements [<paramref name="first"/>, <paramref name="end"/>) of each
    /// row; all three are [count × length], the masks as the forward pass wrote them.
    /// </summary>
    /// <exception cref="ArgumentException">A size is negative, a span is shorter than the rows, or the range is outside a row.</exception>
    public static void InputDeltaBatch(ReadOnlySpan<float> deltas, ReadOnlySpan<float> masks, Span<float> inputDeltas, int count, int length, int first, int end)
    {
        CheckRows(deltas.Length, inputDeltas.Length, count, length, first, end, nameof(deltas), nameof(inputDeltas));
        KernelArguments.Length(masks.Length, (long)count * length, nameof(masks));
        ref float deltaStart = ref MemoryMarshal.GetReference(deltas);
        ref float maskStart = ref MemoryMarshal.GetReference(masks);
        ref float inputDeltaStart = ref MemoryMarshal.GetReference(inputDeltas);
        for (int row = 0; row < count; row++)
        {
            nint start = (nint)row * length + first;
            ref float delta = ref Unsafe.Add(ref deltaStart, start);
            ref float mask = ref Unsafe.Add(ref maskStart, start);
            ref float inputDelta = ref Unsafe.Add(ref inputDeltaStart, start);
            int element = 0, elements = end - first;
            for (; element + Vector<float>.Count <= elements; element += Vector<float>.Count)
            {
                PortableLanes.Store(PortableLanes.Load(ref delta, element) * PortableLanes.Load(ref mask, element), ref inputDelta, element);
            }

            for (; element < elements; element++)
            {
                Unsafe.Add(ref inputDelta, element) = Unsafe.Add(ref delta, element) * Unsafe.Add(ref mask, element);
            }
        }
    }

    /// <summary>SplitMix64's output function (Stafford's Mix13), a bijection that mixes every input bit into every output bit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Finalize(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CheckRows(int inputRowsLength, int outputRowsLength, int count, int length, int first, int end, string inputRowsName, string outputRowsName)
    {
        KernelArguments.Size(count, nameof(count));
        KernelArguments.Size(length, nameof(length));
        KernelArguments.Length(inputRowsLength, (long)count * length, inputRowsName);
        KernelArguments.Length(outputRowsLength, (long)count * length, outputRowsName);
        KernelArguments.Range(first, end, length, nameof(first), nameof(end));
    }

    [DoesNotReturn]
    private static void ThrowRate(float rate) =>
        throw new ArgumentOutOfRangeException(nameof(rate), rate, $"Expected a dropout rate in [0, 1), but 'rate' is {rate}.");
}
