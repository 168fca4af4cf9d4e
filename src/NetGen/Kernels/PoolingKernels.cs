using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NetGen.Kernels;

/// <summary>
/// The batched passes of max and average pooling layers, which generated layer methods call with a
/// <see cref="PoolingShape"/>. Inputs are [count × C × H × W] and outputs [count × C × OH × OW] row-major; every
/// pass covers channels [firstChannel, endChannel) of every sample, so that threads may split a layer by channels.
/// The backward passes take δ = dLoss/d(output) and overwrite their channels of the input δ.
/// </summary>
public static class PoolingKernels
{
    /// <summary>
    /// out[s, c, oy, ox] = max over the window in[s, c, oy·S .. oy·S + size, ox·S .. ox·S + size), NaN propagating as
    /// in PyTorch. <paramref name="inputs"/> is [count × <see cref="PoolingShape.InputLength"/>],
    /// <paramref name="outputs"/> [count × <see cref="PoolingShape.OutputLength"/>]; other channels are untouched.
    /// </summary>
    /// <exception cref="ArgumentException">The count is negative, a span is shorter than the shape needs, or the range is outside the channels.</exception>
    public static void MaxForwardBatch(in PoolingShape shape, ReadOnlySpan<float> inputs, Span<float> outputs, int count, int firstChannel, int endChannel)
    {
        CheckBatch(shape, inputs.Length, outputs.Length, count, firstChannel, endChannel, nameof(inputs), nameof(outputs));
        ref float inputStart = ref MemoryMarshal.GetReference(inputs);
        ref float outputStart = ref MemoryMarshal.GetReference(outputs);
        int size = shape.Size, stride = shape.Stride, width = shape.InputWidth;
        bool pairs = size == 2 && stride == 2;
        for (int sample = 0; sample < count; sample++)
        {
            for (int channel = firstChannel; channel < endChannel; channel++)
            {
                ref float inputPlane = ref Unsafe.Add(ref inputStart, (nint)sample * shape.InputLength + (nint)channel * shape.InputPlane);
                ref float output = ref Unsafe.Add(ref outputStart, (nint)sample * shape.OutputLength + (nint)channel * shape.OutputPlane);
                if (pairs)
                {
                    MaxForwardPairs(ref inputPlane, ref output, shape.OutputHeight, shape.OutputWidth, width);
                    continue;
                }

                for (int outputRow = 0; outputRow < shape.OutputHeight; outputRow++)
                {
                    nint corner = (nint)outputRow * stride * width;
                    for (int outputColumn = 0; outputColumn < shape.OutputWidth; outputColumn++)
                    {
                        output = Unsafe.Add(ref inputPlane, ArgMax(ref inputPlane, corner, size, width));
                        output = ref Unsafe.Add(ref output, 1);
                        corner += stride;
                    }
                }
            }
        }
    }

    /// <summary>
    /// The δ of max pooling, overwriting channels [<paramref name="firstChannel"/>, <paramref name="endChannel"/>) of
    /// <paramref name="inputDeltas"/> [count × <see cref="PoolingShape.InputLength"/>]: each output's δ
    /// (<paramref name="deltas"/>, [count × <see cref="PoolingShape.OutputLength"/>]) goes to its window's maximum,
    /// recomputed from <paramref name="inputs"/> by the forward pass's rule (the first maximum in row-major window
    /// order, as PyTorch's CPU max_pool2d), summed where windows overlap; 0 elsewhere.
    /// </summary>
    /// <exception cref="ArgumentException">The count is negative, a span is shorter than the shape needs, or the range is outside the channels.</exception>
    public static void MaxInputDeltaBatch(in PoolingShape shape, ReadOnlySpan<float> inputs, ReadOnlySpan<float> deltas, Span<float> inputDeltas, int count, int firstChannel, int endChannel)
    {
        CheckBatch(shape, inputs.Length, deltas.Length, count, firstChannel, endChannel, nameof(inputs), nameof(deltas));
        KernelArguments.Length(inputDeltas.Length, (long)count * shape.InputLength, nameof(inputDeltas));
        ref float inputStart = ref MemoryMarshal.GetReference(inputs);
        ref float deltaStart = ref MemoryMarshal.GetReference(deltas);
        ref float inputDeltaStart = ref MemoryMarshal.GetReference(inputDeltas);
        int size = shape.Size, stride = shape.Stride, width = shape.InputWidth;
        bool pairs = size == 2 && stride == 2;
        for (int sample = 0; sample < count; sample++)
        {
            for (int channel = firstChannel; channel < endChannel; channel++)
            {
                nint inputOffset = (nint)sample * shape.InputLength + (nint)channel * shape.InputPlane;
                ref float inputPlane = ref Unsafe.Add(ref inputStart, inputOffset);
                ref float inputDeltaPlane = ref Unsafe.Add(ref inputDeltaStart, inputOffset);
                ref float delta = ref Unsafe.Add(ref deltaStart, (nint)sample * shape.OutputLength + (nint)channel * shape.OutputPlane);
                if (pairs)
                {
                    MaxInputDeltaPairs(ref inputPlane, ref delta, ref inputDeltaPlane, shape.OutputHeight, shape.OutputWidth, width);
                    continue;
                }

                MemoryMarshal.CreateSpan(ref inputDeltaPlane, shape.InputPlane).Clear();
                for (int outputRow = 0; outputRow < shape.OutputHeight; outputRow++)
                {
                    nint corner = (nint)outputRow * stride * width;
                    for (int outputColumn = 0; outputColumn < shape.OutputWidth; outputColumn++)
                    {
                        Unsafe.Add(ref inputDeltaPlane, ArgMax(ref inputPlane, corner, size, width)) += delta;
                        delta = ref Unsafe.Add(ref delta, 1);
                        corner += stride;
                    }
                }
            }
        }
    }

    /// <summary>
    /// out[s, c, oy, ox] = (Σ over the window) / size², as PyTorch's <c>AvgPool2d</c> without padding.
    /// <paramref name="inputs"/> is [count × <see cref="PoolingShape.InputLength"/>], <paramref name="outputs"/> [count ×
    /// <see cref="PoolingShape.OutputLength"/>]; other channels are untouched.
    /// </summary>
    /// <exception cref="ArgumentException">The count is negative, a span is shorter than the shape needs, or the range is outside the channels.</exception>
    public static void AverageForwardBatch(in PoolingShape shape, ReadOnlySpan<float> inputs, Span<float> outputs, int count, int firstChannel, int endChannel)
    {
        CheckBatch(shape, inputs.Length, outputs.Length, count, firstChannel, endChannel, nameof(inputs), nameof(outputs));
        ref float inputStart = ref MemoryMarshal.GetReference(inputs);
        ref float outputStart = ref MemoryMarshal.GetReference(outputs);
        int size = shape.Size, stride = shape.Stride, width = shape.InputWidth;
        float area = size * size;
        for (int sample = 0; sample < count; sample++)
        {
            for (int channel = firstChannel; channel < endChannel; channel++)
            {
                ref float inputPlane = ref Unsafe.Add(ref inputStart, (nint)sample * shape.InputLength + (nint)channel * shape.InputPlane);
                ref float output = ref Unsafe.Add(ref outputStart, (nint)sample * shape.OutputLength + (nint)channel * shape.OutputPlane);
                if (size == 2 && stride == 2)
                {
                    AverageForwardPairs(ref inputPlane, ref output, shape.OutputHeight, shape.OutputWidth, width);
                    continue;
                }

                for (int outputRow = 0; outputRow < shape.OutputHeight; outputRow++)
                {
                    ref float corner = ref Unsafe.Add(ref inputPlane, (nint)outputRow * stride * width);
                    for (int outputColumn = 0; outputColumn < shape.OutputWidth; outputColumn++)
                    {
                        float total = 0f;
                        for (int windowRow = 0; windowRow < size; windowRow++)
                        {
                            ref float line = ref Unsafe.Add(ref corner, (nint)windowRow * width);
                            for (int windowColumn = 0; windowColumn < size; windowColumn++)
                            {
                                total += Unsafe.Add(ref line, windowColumn);
                            }
                        }

                        output = total / area;
                        output = ref Unsafe.Add(ref output, 1);
                        corner = ref Unsafe.Add(ref corner, stride);
                    }
                }
            }
        }
    }

    /// <summary>
    /// The δ of average pooling, overwriting channels [<paramref name="firstChannel"/>, <paramref name="endChannel"/>)
    /// of <paramref name="inputDeltas"/> [count × <see cref="PoolingShape.InputLength"/>]: every input of a window gets
    /// δ / size² of its output (<paramref name="deltas"/>, [count × <see cref="PoolingShape.OutputLength"/>]), summed
    /// where windows overlap; 0 outside every window.
    /// </summary>
    /// <exception cref="ArgumentException">The count is negative, a span is shorter than the shape needs, or the range is outside the channels.</exception>
    public static void AverageInputDeltaBatch(in PoolingShape shape, ReadOnlySpan<float> deltas, Span<float> inputDeltas, int count, int firstChannel, int endChannel)
    {
        CheckBatch(shape, inputDeltas.Length, deltas.Length, count, firstChannel, endChannel, nameof(inputDeltas), nameof(deltas));
        ref float deltaStart = ref MemoryMarshal.GetReference(deltas);
        ref float inputDeltaStart = ref MemoryMarshal.GetReference(inputDeltas);
        int size = shape.Size, stride = shape.Stride, width = shape.InputWidth;
        float area = size * size;
        for (int sample = 0; sample < count; sample++)
        {
            for (int channel = firstChannel; channel < endChannel; channel++)
            {
                ref float inputDeltaPlane = ref Unsafe.Add(ref inputDeltaStart, (nint)sample * shape.InputLength + (nint)channel * shape.InputPlane);
                ref float delta = ref Unsafe.Add(ref deltaStart, (nint)sample * shape.OutputLength + (nint)channel * shape.OutputPlane);
                if (size == 2 && stride == 2)
                {
                    AverageInputDeltaPairs(ref delta, ref inputDeltaPlane, shape.OutputHeight, shape.OutputWidth, width);
                    continue;
                }

                MemoryMarshal.CreateSpan(ref inputDeltaPlane, shape.InputPlane).Clear();
                for (int outputRow = 0; outputRow < shape.OutputHeight; outputRow++)
                {
                    ref float corner = ref Unsafe.Add(ref inputDeltaPlane, (nint)outputRow * stride * width);
                    for (int outputColumn = 0; outputColumn < shape.OutputWidth; outputColumn++)
                    {
                        float share = delta / area;
                        for (int windowRow = 0; windowRow < size; windowRow++)
                        {
                            ref float line = ref Unsafe.Add(ref corner, (nint)windowRow * width);
                            for (int windowColumn = 0; windowColumn < size; windowColumn++)
                            {
                                Unsafe.Add(ref line, windowColumn) += share;
                            }
                        }

                        delta = ref Unsafe.Add(ref delta, 1);
                        corner = ref Unsafe.Add(ref corner, stride);
                    }
                }
            }
        }
    }

    /// <summary>
    /// LeNet's 2 × 2 windows at stride 2 over one plane, four outputs per step where SSE is available. A window [a b; c d]
    /// is reduced as Later(Later(a, b), Later(c, d)), which picks what the row-major scan of <see cref="ArgMax"/> picks:
    /// ties go to the earlier pair, and within a pair to the earlier column.
    /// </summary>
    private static void MaxForwardPairs(ref float inputPlane, ref float output, int outputHeight, int outputWidth, int width)
    {
        for (int outputRow = 0; outputRow < outputHeight; outputRow++)
        {
            ref float top = ref Unsafe.Add(ref inputPlane, (nint)outputRow * 2 * width);
            ref float bottom = ref Unsafe.Add(ref top, width);
            ref float outputLine = ref Unsafe.Add(ref output, (nint)outputRow * outputWidth);
            int column = 0;
            if (Sse.IsSupported)
            {
                for (; column + 4 <= outputWidth; column += 4)
                {
                    var (a, b) = Deinterleave(ref Unsafe.Add(ref top, 2 * column));
                    var (c, d) = Deinterleave(ref Unsafe.Add(ref bottom, 2 * column));
                    Vector128<float> upper = Vector128.ConditionalSelect(Later(a, b), b, a);
                    Vector128<float> lower = Vector128.ConditionalSelect(Later(c, d), d, c);
                    Vector128.StoreUnsafe(Vector128.ConditionalSelect(Later(upper, lower), lower, upper), ref Unsafe.Add(ref outputLine, column));
                }
            }

            for (; column < outputWidth; column++)
            {
                nint left = 2 * column;
                float upper = Later(Unsafe.Add(ref top, left), Unsafe.Add(ref top, left + 1));
                float lower = Later(Unsafe.Add(ref bottom, left), Unsafe.Add(ref bottom, left + 1));
                Unsafe.Add(ref outputLine, column) = Later(upper, lower);
            }
        }
    }

    /// <summary>
    /// The δ of <see cref="MaxForwardPairs"/>: the windows tile the plane exactly (H and W are even), so every input is
    /// written once, δ at its window's winner and 0 at the other three, and nothing needs clearing first.
    /// </summary>
    private static void MaxInputDeltaPairs(ref float inputPlane, ref float delta, ref float inputDeltaPlane, int outputHeight, int outputWidth, int width)
    {
        for (int outputRow = 0; outputRow < outputHeight; outputRow++)
        {
            nint topOffset = (nint)outputRow * 2 * width;
            ref float top = ref Unsafe.Add(ref inputPlane, topOffset);
            ref float bottom = ref Unsafe.Add(ref top, width);
            ref float topDelta = ref Unsafe.Add(ref inputDeltaPlane, topOffset);
            ref float bottomDelta = ref Unsafe.Add(ref topDelta, width);
            ref float deltaLine = ref Unsafe.Add(ref delta, (nint)outputRow * outputWidth);
            int column = 0;
            if (Sse.IsSupported)
            {
                for (; column + 4 <= outputWidth; column += 4)
                {
                    var (a, b) = Deinterleave(ref Unsafe.Add(ref top, 2 * column));
                    var (c, d) = Deinterleave(ref Unsafe.Add(ref bottom, 2 * column));
                    Vector128<float> pickB = Later(a, b), pickD = Later(c, d);
                    Vector128<float> pickLower = Later(Vector128.ConditionalSelect(pickB, b, a), Vector128.ConditionalSelect(pickD, d, c));
                    Vector128<float> windowDelta = Vector128.LoadUnsafe(ref Unsafe.Add(ref deltaLine, column));
                    Vector128<float> upperDelta = Vector128.AndNot(windowDelta, pickLower), lowerDelta = windowDelta & pickLower;
                    Interleave(Vector128.AndNot(upperDelta, pickB), upperDelta & pickB, ref Unsafe.Add(ref topDelta, 2 * column));
                    Interleave(Vector128.AndNot(lowerDelta, pickD), lowerDelta & pickD, ref Unsafe.Add(ref bottomDelta, 2 * column));
                }
            }

            for (; column < outputWidth; column++)
            {
                nint left = 2 * column;
                float a = Unsafe.Add(ref top, left), b = Unsafe.Add(ref top, left + 1), c = Unsafe.Add(ref bottom, left), d = Unsafe.Add(ref bottom, left + 1);
                bool pickB = b > a || float.IsNaN(b), pickD = d > c || float.IsNaN(d);
                float upper = pickB ? b : a, lower = pickD ? d : c;
                bool pickLower = lower > upper || float.IsNaN(lower);
                float windowDelta = Unsafe.Add(ref deltaLine, column);
                Unsafe.Add(ref topDelta, left) = !pickLower && !pickB ? windowDelta : 0f;
                Unsafe.Add(ref topDelta, left + 1) = !pickLower && pickB ? windowDelta : 0f;
                Unsafe.Add(ref bottomDelta, left) = pickLower && !pickD ? windowDelta : 0f;
                Unsafe.Add(ref bottomDelta, left + 1) = pickLower && pickD ? windowDelta : 0f;
            }
        }
    }

    /// <summary>
    /// 2 × 2 average windows at stride 2, four outputs per step where SSE is available, adding in the general path's
    /// order (0 + a + b + c + d) so that both give the same bits; × 0.25 rounds exactly as / 4 does.
    /// </summary>
    private static void AverageForwardPairs(ref float inputPlane, ref float output, int outputHeight, int outputWidth, int width)
    {
        for (int outputRow = 0; outputRow < outputHeight; outputRow++)
        {
            ref float top = ref Unsafe.Add(ref inputPlane, (nint)outputRow * 2 * width);
            ref float bottom = ref Unsafe.Add(ref top, width);
            ref float outputLine = ref Unsafe.Add(ref output, (nint)outputRow * outputWidth);
            int column = 0;
            if (Sse.IsSupported)
            {
                Vector128<float> quarter = Vector128.Create(0.25f);
                for (; column + 4 <= outputWidth; column += 4)
                {
                    var (a, b) = Deinterleave(ref Unsafe.Add(ref top, 2 * column));
                    var (c, d) = Deinterleave(ref Unsafe.Add(ref bottom, 2 * column));
                    Vector128.StoreUnsafe((Vector128<float>.Zero + a + b + c + d) * quarter, ref Unsafe.Add(ref outputLine, column));
                }
            }

            for (; column < outputWidth; column++)
            {
                nint left = 2 * column;
                float total = 0f + Unsafe.Add(ref top, left) + Unsafe.Add(ref top, left + 1) + Unsafe.Add(ref bottom, left) + Unsafe.Add(ref bottom, left + 1);
                Unsafe.Add(ref outputLine, column) = total * 0.25f;
            }
        }
    }

    /// <summary>The δ of <see cref="AverageForwardPairs"/>: the windows tile the plane, so each input is written once with δ / 4.</summary>
    private static void AverageInputDeltaPairs(ref float delta, ref float inputDeltaPlane, int outputHeight, int outputWidth, int width)
    {
        for (int outputRow = 0; outputRow < outputHeight; outputRow++)
        {
            ref float topDelta = ref Unsafe.Add(ref inputDeltaPlane, (nint)outputRow * 2 * width);
            ref float bottomDelta = ref Unsafe.Add(ref topDelta, width);
            ref float deltaLine = ref Unsafe.Add(ref delta, (nint)outputRow * outputWidth);
            int column = 0;
            if (Sse.IsSupported)
            {
                Vector128<float> quarter = Vector128.Create(0.25f);
                for (; column + 4 <= outputWidth; column += 4)
                {
                    Vector128<float> share = Vector128.LoadUnsafe(ref Unsafe.Add(ref deltaLine, column)) * quarter;
                    Interleave(share, share, ref Unsafe.Add(ref topDelta, 2 * column));
                    Interleave(share, share, ref Unsafe.Add(ref bottomDelta, 2 * column));
                }
            }

            for (; column < outputWidth; column++)
            {
                float share = Unsafe.Add(ref deltaLine, column) * 0.25f;
                nint left = 2 * column;
                Unsafe.Add(ref topDelta, left) = share;
                Unsafe.Add(ref topDelta, left + 1) = share;
                Unsafe.Add(ref bottomDelta, left) = share;
                Unsafe.Add(ref bottomDelta, left + 1) = share;
            }
        }
    }

    /// <summary>The later of two window inputs wins when it is greater or NaN (PyTorch's <c>val &gt; max || isnan(val)</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Later(float earlier, float later) => later > earlier || float.IsNaN(later) ? later : earlier;

    /// <summary>All-ones lanes where <paramref name="later"/> wins over <paramref name="earlier"/>, as <see cref="Later(float, float)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Later(Vector128<float> earlier, Vector128<float> later) =>
        Vector128.GreaterThan(later, earlier) | ~Vector128.Equals(later, later);

    /// <summary>Eight consecutive inputs as their even and odd columns: the left and right inputs of four windows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector128<float> Even, Vector128<float> Odd) Deinterleave(ref float source)
    {
        Vector128<float> low = Vector128.LoadUnsafe(ref source), high = Vector128.LoadUnsafe(ref source, 4);
        return (Sse.Shuffle(low, high, 0b10_00_10_00), Sse.Shuffle(low, high, 0b11_01_11_01));
    }

    /// <summary>The inverse of <see cref="Deinterleave"/>: eight consecutive values from their even and odd columns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Interleave(Vector128<float> even, Vector128<float> odd, ref float destination)
    {
        Vector128.StoreUnsafe(Sse.UnpackLow(even, odd), ref destination);
        Vector128.StoreUnsafe(Sse.UnpackHigh(even, odd), ref destination, 4);
    }

    /// <summary>
    /// The offset in the plane of the window's maximum, the window's top-left input at <paramref name="corner"/>: the
    /// first in row-major order among equals, or the last NaN, as PyTorch's CPU kernel (<c>val &gt; max || isnan(val)</c>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nint ArgMax(ref float plane, nint corner, int size, int width)
    {
        nint best = corner;
        float max = Unsafe.Add(ref plane, corner);
        for (int windowRow = 0; windowRow < size; windowRow++)
        {
            nint line = corner + (nint)windowRow * width;
            for (int windowColumn = 0; windowColumn < size; windowColumn++)
            {
                float value = Unsafe.Add(ref plane, line + windowColumn);
                if (value > max || float.IsNaN(value))
                {
                    max = value;
                    best = line + windowColumn;
                }
            }
        }

        return best;
    }

    /// <summary>Checks the count, the channel range and the two batches of samples, inputs (count, C·H·W) and outputs (count, C·OH·OW).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CheckBatch(in PoolingShape shape, int inputRowsLength, int outputRowsLength, int count, int firstChannel, int endChannel, string inputRowsName, string outputRowsName)
    {
        KernelArguments.Size(count, nameof(count));
        KernelArguments.Length(inputRowsLength, (long)count * shape.InputLength, inputRowsName);
        KernelArguments.Length(outputRowsLength, (long)count * shape.OutputLength, outputRowsName);
        KernelArguments.Range(firstChannel, endChannel, shape.Channels, nameof(firstChannel), nameof(endChannel));
    }
}
