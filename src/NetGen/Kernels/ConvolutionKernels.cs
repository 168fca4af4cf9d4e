using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NetGen.Kernels;

/// <summary>
/// The batched passes of a Conv2D layer, which generated layer methods call with a <see cref="ConvolutionShape"/>.
/// Activations are [count × C × H × W] and [count × F × OH × OW] row-major; weights are [F, C, K, K] as PyTorch's
/// <c>Conv2d.weight</c>, biases [F]. Each sample is unfolded into the caller's scratch as an im2col matrix
/// col[k, p] (k = (c, ky, kx) over <see cref="ConvolutionShape.PatchLength"/>, p over the output pixels), which turns
/// the convolution into matrix products vectorized over contiguous pixels. The backward passes take δ = dLoss/dz and
/// apply no activation derivative (see <see cref="ActivationKernels"/>); gradients accumulate with +=.
/// </summary>
/// <remarks>
/// Each result runs the same multiply-adds in the same order whichever tile or vector type computes it, so results do
/// not depend on the 16-lane tiles, and a pass split by filters or channels gives the same bits as a whole one.
/// </remarks>
public static class ConvolutionKernels
{
    /// <summary>
    /// out[s, f, oy, ox] = f(b[f] + Σ_{c, ky, kx} W[f, c, ky, kx]·in[s, c, oy·S + ky − P, ox·S + kx − P]), zeros outside
    /// the input, for samples [0, <paramref name="count"/>) and filters [<paramref name="firstFilter"/>,
    /// <paramref name="endFilter"/>); other outputs are untouched. <paramref name="inputs"/> is
    /// [count × <see cref="ConvolutionShape.InputLength"/>], <paramref name="outputs"/> [count ×
    /// <see cref="ConvolutionShape.OutputLength"/>], <paramref name="scratch"/> at least
    /// <see cref="ConvolutionShape.ScratchLength"/> floats, whose contents are overwritten. Tiles of 4 filters × up to
    /// 4 vectors of pixels, broadcasting a weight against a row of the im2col matrix.
    /// </summary>
    /// <typeparam name="TActivation">f; Sigmoid and Tanh are applied over each filter's output plane after the tiles.</typeparam>
    /// <exception cref="ArgumentException">The count is negative, a span is shorter than the shape needs, or the range is outside the filters.</exception>
    public static void ForwardBatch<TActivation>(in ConvolutionShape shape, ReadOnlySpan<float> inputs, ReadOnlySpan<float> weights, ReadOnlySpan<float> biases, Span<float> outputs, Span<float> scratch, int count, int firstFilter, int endFilter)
        where TActivation : struct, IActivation
    {
        CheckBatch(shape, inputs.Length, outputs.Length, scratch.Length, count, nameof(inputs), nameof(outputs));
        KernelArguments.Length(weights.Length, shape.WeightCount, nameof(weights));
        KernelArguments.Length(biases.Length, shape.Filters, nameof(biases));
        KernelArguments.Range(firstFilter, endFilter, shape.Filters, nameof(firstFilter), nameof(endFilter));
        if (firstFilter == endFilter)
        {
            return;
        }

        int patch = shape.PatchLength, plane = shape.OutputPlane;
        ref float inputStart = ref MemoryMarshal.GetReference(inputs);
        ref float outputStart = ref MemoryMarshal.GetReference(outputs);
        ref float weightStart = ref MemoryMarshal.GetReference(weights);
        ref float biasStart = ref MemoryMarshal.GetReference(biases);
        ref float columns = ref MemoryMarshal.GetReference(scratch);
        for (int sample = 0; sample < count; sample++)
        {
            Im2Col(shape, ref Unsafe.Add(ref inputStart, (nint)sample * shape.InputLength), ref columns);
            ref float sampleOutputs = ref Unsafe.Add(ref outputStart, (nint)sample * shape.OutputLength);
            int filter = firstFilter;
            for (; filter + 4 <= endFilter; filter += 4)
            {
                ForwardFilters<Four, TActivation>(ref columns, ref weightStart, ref biasStart, ref sampleOutputs, filter, patch, plane);
            }

            if (filter + 2 <= endFilter)
            {
                ForwardFilters<Two, TActivation>(ref columns, ref weightStart, ref biasStart, ref sampleOutputs, filter, patch, plane);
                filter += 2;
            }

            if (filter < endFilter)
            {
                ForwardFilters<One, TActivation>(ref columns, ref weightStart, ref biasStart, ref sampleOutputs, filter, patch, plane);
            }

            if (TActivation.IsDeferred)
            {
                // Plane by plane, so that a pass split by filters cuts the vectors at the same places as a whole one.
                for (filter = firstFilter; filter < endFilter; filter++)
                {
                    TActivation.ApplyAfterTiles(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref sampleOutputs, (nint)filter * plane), plane));
                }
            }
        }
    }

    /// <summary>The tiles of <typeparamref name="TRows"/> filters from <paramref name="filter"/> on, over one sample's im2col <paramref name="columns"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ForwardFilters<TRows, TActivation>(ref float columns, ref float weightStart, ref float biasStart, ref float sampleOutputs, int filter, int patch, int plane)
        where TRows : struct, ICount
        where TActivation : struct, IActivation
    {
        // z[f, p] = Σₖ W[f, k]·col[k, p]: a weight broadcast against a row of pixels.
        scoped BroadcastProduct product = default;
        product.Vectors = ref columns;
        product.VectorStride = plane;
        product.ScalarRowDistance = patch;
        product.ScalarStride = 1;
        product.Reduction = patch;
        product.DestinationRowDistance = plane;
        product.Scalars = ref Unsafe.Add(ref weightStart, (nint)filter * patch);
        product.Bias = ref Unsafe.Add(ref biasStart, filter);
        product.Destination = ref Unsafe.Add(ref sampleOutputs, (nint)filter * plane);
        BroadcastTiles.Columns<TRows, FilterForwardEpilogue<TActivation>>(product, 0, plane);
    }

    /// <summary>
    /// The batch's parameter gradients for filters [<paramref name="firstFilter"/>, <paramref name="endFilter"/>):
    /// dW[f, c, ky, kx] += Σₛ Σ_{oy, ox} δ[s, f, oy, ox]·in[s, c, oy·S + ky − P, ox·S + kx − P] and db[f] += Σₛ Σ_{oy, ox}
    /// δ[s, f, oy, ox]. <paramref name="inputs"/> is [count × <see cref="ConvolutionShape.InputLength"/>],
    /// <paramref name="deltas"/> (dLoss/dz) [count × <see cref="ConvolutionShape.OutputLength"/>],
    /// <paramref name="weightGradients"/> [F, C, K, K], <paramref name="biasGradients"/> [F], <paramref name="scratch"/>
    /// at least <see cref="ConvolutionShape.ScratchLength"/> floats. Other filters' gradients are untouched. Dot products
    /// along the pixels of δ's rows and the im2col rows, in tiles of 4 filters × 4 weights.
    /// </summary>
    /// <exception cref="ArgumentException">The count is negative, a span is shorter than the shape needs, or the range is outside the filters.</exception>
    public static void WeightGradientsBatch(in ConvolutionShape shape, ReadOnlySpan<float> inputs, ReadOnlySpan<float> deltas, Span<float> weightGradients, Span<float> biasGradients, Span<float> scratch, int count, int firstFilter, int endFilter)
    {
        CheckBatch(shape, inputs.Length, deltas.Length, scratch.Length, count, nameof(inputs), nameof(deltas));
        KernelArguments.Length(weightGradients.Length, shape.WeightCount, nameof(weightGradients));
        KernelArguments.Length(biasGradients.Length, shape.Filters, nameof(biasGradients));
        KernelArguments.Range(firstFilter, endFilter, shape.Filters, nameof(firstFilter), nameof(endFilter));
        if (firstFilter == endFilter)
        {
            return;
        }

        int patch = shape.PatchLength, plane = shape.OutputPlane, filters = endFilter - firstFilter;
        ref float inputStart = ref MemoryMarshal.GetReference(inputs);
        ref float deltaStart = ref MemoryMarshal.GetReference(deltas);
        ref float weightGradientStart = ref Unsafe.Add(ref MemoryMarshal.GetReference(weightGradients), (nint)firstFilter * patch);
        ref float biasGradientStart = ref MemoryMarshal.GetReference(biasGradients);
        ref float columns = ref MemoryMarshal.GetReference(scratch);
        DotProduct product = default;
        product.LeftRowDistance = plane;
        product.RightRowDistance = plane;
        product.Length = plane;
        product.DestinationRowDistance = patch;
        for (int sample = 0; sample < count; sample++)
        {
            ref float sampleDeltas = ref Unsafe.Add(ref deltaStart, (nint)sample * shape.OutputLength);
            for (int filter = firstFilter; filter < endFilter; filter++)
            {
                Unsafe.Add(ref biasGradientStart, filter) += Sum(ref Unsafe.Add(ref sampleDeltas, (nint)filter * plane), plane);
            }

            Im2Col(shape, ref Unsafe.Add(ref inputStart, (nint)sample * shape.InputLength), ref columns);
            product.Left = ref Unsafe.Add(ref sampleDeltas, (nint)firstFilter * plane);
            int k = 0;
            for (; k + 4 <= patch; k += 4)
            {
                product.Right = ref Unsafe.Add(ref columns, (nint)k * plane);
                product.Destination = ref Unsafe.Add(ref weightGradientStart, k);
                product.Bias = ref product.Destination;
                DotTiles.Rows<Four, AddEpilogue>(product, filters);
            }

            for (; k < patch; k++)
            {
                product.Right = ref Unsafe.Add(ref columns, (nint)k * plane);
                product.Destination = ref Unsafe.Add(ref weightGradientStart, k);
                product.Bias = ref product.Destination;
                DotTiles.Rows<One, AddEpilogue>(product, filters);
            }
        }
    }

    /// <summary>
    /// The batch's δ for the previous layer, for input channels [<paramref name="firstChannel"/>,
    /// <paramref name="endChannel"/>) of every sample, overwritten: dX[s, c, y, x] = Σ_f Σ_{ky, kx : y = oy·S + ky − P,
    /// x = ox·S + kx − P} W[f, c, ky, kx]·δ[s, f, oy, ox], no derivative applied. <paramref name="deltas"/> is [count ×
    /// <see cref="ConvolutionShape.OutputLength"/>], <paramref name="inputDeltas"/> [count ×
    /// <see cref="ConvolutionShape.InputLength"/>], <paramref name="scratch"/> at least
    /// <see cref="ConvolutionShape.ScratchLength"/> floats. Channel by channel: the K·K rows of dcol = Wᵀ·δ for the
    /// channel, in broadcast tiles over the pixels, then added back to the image (col2im) while they are still in L1.
    /// </summary>
    /// <exception cref="ArgumentException">The count is negative, a span is shorter than the shape needs, or the range is outside the channels.</exception>
    public static void InputDeltaBatch(in ConvolutionShape shape, ReadOnlySpan<float> deltas, ReadOnlySpan<float> weights, Span<float> inputDeltas, Span<float> scratch, int count, int firstChannel, int endChannel)
    {
        CheckBatch(shape, inputDeltas.Length, deltas.Length, scratch.Length, count, nameof(inputDeltas), nameof(deltas));
        KernelArguments.Length(weights.Length, shape.WeightCount, nameof(weights));
        KernelArguments.Range(firstChannel, endChannel, shape.InputChannels, nameof(firstChannel), nameof(endChannel));

        int window = shape.KernelSize * shape.KernelSize, plane = shape.OutputPlane;
        ref float deltaStart = ref MemoryMarshal.GetReference(deltas);
        ref float weightStart = ref MemoryMarshal.GetReference(weights);
        ref float inputDeltaStart = ref MemoryMarshal.GetReference(inputDeltas);
        ref float columns = ref MemoryMarshal.GetReference(scratch);

        // dcol[k, p] = Σ_f W[f, k]·δ[f, p]: the weights of one k down the filters are the broadcast scalars.
        BroadcastProduct product = default;
        product.VectorStride = plane;
        product.ScalarRowDistance = 1;
        product.ScalarStride = shape.PatchLength;
        product.Reduction = shape.Filters;
        product.DestinationRowDistance = plane;
        product.Bias = ref columns;
        for (int sample = 0; sample < count; sample++)
        {
            product.Vectors = ref Unsafe.Add(ref deltaStart, (nint)sample * shape.OutputLength);
            ref float sampleInputDeltas = ref Unsafe.Add(ref inputDeltaStart, (nint)sample * shape.InputLength);
            for (int channel = firstChannel; channel < endChannel; channel++)
            {
                ref float channelWeights = ref Unsafe.Add(ref weightStart, (nint)channel * window);
                int row = 0;
                for (; row + 4 <= window; row += 4)
                {
                    product.Scalars = ref Unsafe.Add(ref channelWeights, row);
                    product.Destination = ref Unsafe.Add(ref columns, (nint)row * plane);
                    BroadcastTiles.Columns<Four, StoreEpilogue>(product, 0, plane);
                }

                for (; row < window; row++)
                {
                    product.Scalars = ref Unsafe.Add(ref channelWeights, row);
                    product.Destination = ref Unsafe.Add(ref columns, (nint)row * plane);
                    BroadcastTiles.Columns<One, StoreEpilogue>(product, 0, plane);
                }

                ref float channelDeltas = ref Unsafe.Add(ref sampleInputDeltas, (nint)channel * shape.InputPlane);
                MemoryMarshal.CreateSpan(ref channelDeltas, shape.InputPlane).Clear();
                Col2ImAdd(shape, ref columns, ref channelDeltas);
            }
        }
    }

    /// <summary>
    /// Unfolds one sample (C, H, W) into col[k, p], k = (c, ky, kx) and p = (oy, ox), both row-major: row k holds, for
    /// every output pixel, the input that weight k multiplies there, 0 in the padding. At stride 1 each output row's
    /// valid run is one contiguous copy of an input row.
    /// </summary>
    private static void Im2Col(in ConvolutionShape shape, ref float input, ref float columns)
    {
        int kernel = shape.KernelSize, stride = shape.Stride, padding = shape.Padding;
        int height = shape.InputHeight, width = shape.InputWidth, outputHeight = shape.OutputHeight, outputWidth = shape.OutputWidth;
        ref float row = ref columns;
        for (int channel = 0; channel < shape.InputChannels; channel++)
        {
            ref float inputPlane = ref Unsafe.Add(ref input, (nint)channel * shape.InputPlane);
            for (int ky = 0; ky < kernel; ky++)
            {
                for (int kx = 0; kx < kernel; kx++)
                {
                    var (firstColumn, endColumn) = ValidOutputs(kx, stride, padding, width, outputWidth);
                    int run = endColumn - firstColumn;
                    ref float destination = ref row;
                    for (int outputRow = 0; outputRow < outputHeight; outputRow++)
                    {
                        int inputRow = outputRow * stride + ky - padding;
                        if ((uint)inputRow >= (uint)height)
                        {
                            Fill(ref destination, 0, outputWidth);
                        }
                        else
                        {
                            // The runs are an output row long: calls into memset or memmove cost more than the copy.
                            Fill(ref destination, 0, firstColumn);
                            ref float source = ref Unsafe.Add(ref inputPlane, (nint)inputRow * width + firstColumn * stride + kx - padding);
                            if (stride == 1)
                            {
                                Copy(ref source, ref Unsafe.Add(ref destination, firstColumn), run);
                            }
                            else
                            {
                                for (int column = 0; column < run; column++)
                                {
                                    Unsafe.Add(ref destination, firstColumn + column) = Unsafe.Add(ref source, (nint)column * stride);
                                }
                            }

                            Fill(ref destination, endColumn, outputWidth);
                        }

                        destination = ref Unsafe.Add(ref destination, outputWidth);
                    }

                    row = ref Unsafe.Add(ref row, (nint)outputHeight * outputWidth);
                }
            }
        }
    }

    /// <summary>
    /// The inverse scatter of <see cref="Im2Col"/> for one channel: image[y, x] += dcol[(ky, kx), (oy, ox)] wherever
    /// (y, x) = (oy·S + ky − P, ox·S + kx − P) is inside the image; padding positions are dropped.
    /// </summary>
    private static void Col2ImAdd(in ConvolutionShape shape, ref float columns, ref float image)
    {
        int kernel = shape.KernelSize, stride = shape.Stride, padding = shape.Padding;
        int height = shape.InputHeight, width = shape.InputWidth, outputHeight = shape.OutputHeight, outputWidth = shape.OutputWidth;
        ref float row = ref columns;
        for (int ky = 0; ky < kernel; ky++)
        {
            for (int kx = 0; kx < kernel; kx++)
            {
                var (firstColumn, endColumn) = ValidOutputs(kx, stride, padding, width, outputWidth);
                int run = endColumn - firstColumn;
                for (int outputRow = 0; outputRow < outputHeight; outputRow++)
                {
                    int inputRow = outputRow * stride + ky - padding;
                    if ((uint)inputRow >= (uint)height || run <= 0)
                    {
                        continue;
                    }

                    ref float source = ref Unsafe.Add(ref row, (nint)outputRow * outputWidth + firstColumn);
                    ref float destination = ref Unsafe.Add(ref image, (nint)inputRow * width + firstColumn * stride + kx - padding);
                    if (stride == 1)
                    {
                        AddInto(ref destination, ref source, run);
                    }
                    else
                    {
                        for (int column = 0; column < run; column++)
                        {
                            Unsafe.Add(ref destination, (nint)column * stride) += Unsafe.Add(ref source, column);
                        }
                    }
                }

                row = ref Unsafe.Add(ref row, (nint)outputHeight * outputWidth);
            }
        }
    }

    /// <summary>
    /// The output columns [first, end) whose input column ox·S + kx − P lies inside [0, width) for kernel column
    /// <paramref name="kx"/>; empty (first = end) when none does.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (int First, int End) ValidOutputs(int kx, int stride, int padding, int width, int outputWidth)
    {
        int first = padding > kx ? (padding - kx + stride - 1) / stride : 0;
        int last = width - 1 + padding - kx;
        int end = last < 0 ? 0 : Math.Min(outputWidth, last / stride + 1);
        first = Math.Min(first, outputWidth);
        return (first, Math.Max(first, end));
    }

    /// <summary>destination[j] = source[j] for j in [0, length).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Copy(ref float source, ref float destination, int length)
    {
        int j = 0;
        for (; j + Vector<float>.Count <= length; j += Vector<float>.Count)
        {
            PortableLanes.Store(PortableLanes.Load(ref source, j), ref destination, j);
        }

        for (; j < length; j++)
        {
            Unsafe.Add(ref destination, j) = Unsafe.Add(ref source, j);
        }
    }

    /// <summary>destination[j] = 0 for j in [first, end), usually empty (the padding columns).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Fill(ref float destination, int first, int end)
    {
        for (int j = first; j < end; j++)
        {
            Unsafe.Add(ref destination, j) = 0f;
        }
    }

    /// <summary>destination[j] += source[j] for j in [0, length).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddInto(ref float destination, ref float source, int length)
    {
        int j = 0;
        for (; j + Vector<float>.Count <= length; j += Vector<float>.Count)
        {
            PortableLanes.Store(PortableLanes.Load(ref destination, j) + PortableLanes.Load(ref source, j), ref destination, j);
        }

        for (; j < length; j++)
        {
            Unsafe.Add(ref destination, j) += Unsafe.Add(ref source, j);
        }
    }

    /// <summary>Σ values[j] for j in [0, length): lanes summed across at the end, then the tail in order.</summary>
    private static float Sum(ref float values, int length)
    {
        Vector<float> sum = Vector<float>.Zero;
        int j = 0;
        for (; j + Vector<float>.Count <= length; j += Vector<float>.Count)
        {
            sum += PortableLanes.Load(ref values, j);
        }

        float total = Vector.Sum(sum);
        for (; j < length; j++)
        {
            total += Unsafe.Add(ref values, j);
        }

        return total;
    }

    /// <summary>Checks the count and the spans every pass reads or writes: two batches of samples and the scratch.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CheckBatch(in ConvolutionShape shape, int inputRowsLength, int outputRowsLength, int scratchLength, int count, string inputRowsName, string outputRowsName)
    {
        KernelArguments.Size(count, nameof(count));
        KernelArguments.Length(inputRowsLength, (long)count * shape.InputLength, inputRowsName);
        KernelArguments.Length(outputRowsLength, (long)count * shape.OutputLength, outputRowsName);
        KernelArguments.Length(scratchLength, shape.ScratchLength, "scratch");
    }
}
