using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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
        for (int sample = 0; sample < count; sample++)
        {
            for (int channel = firstChannel; channel < endChannel; channel++)
            {
                ref float inputPlane = ref Unsafe.Add(ref inputStart, (nint)sample * shape.InputLength + (nint)channel * shape.InputPlane);
                ref float output = ref Unsafe.Add(ref outputStart, (nint)sample * shape.OutputLength + (nint)channel * shape.OutputPlane);
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
        for (int sample = 0; sample < count; sample++)
        {
            for (int channel = firstChannel; channel < endChannel; channel++)
            {
                nint inputOffset = (nint)sample * shape.InputLength + (nint)channel * shape.InputPlane;
                ref float inputPlane = ref Unsafe.Add(ref inputStart, inputOffset);
                ref float inputDeltaPlane = ref Unsafe.Add(ref inputDeltaStart, inputOffset);
                ref float delta = ref Unsafe.Add(ref deltaStart, (nint)sample * shape.OutputLength + (nint)channel * shape.OutputPlane);
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
