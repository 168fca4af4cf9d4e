using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NetGen.Kernels;

/// <summary>
/// The register-tiled products of a Dense layer, which generated layer methods call with constant sizes. Weights W are
/// <c>[inputs × outputs]</c> row-major (input-major: row i holds input i's weights to every output); batched rows are
/// <c>[count × size]</c> row-major. Forward and backward sit in pairs; the backward passes take δ = dLoss/dz and apply
/// no activation derivative (see <see cref="ActivationKernels"/>), and they accumulate gradients with +=.
/// </summary>
/// <remarks>
/// Each output's lane runs the same multiply-adds in the same order whichever tile computes it, in
/// <c>Vector&lt;float&gt;</c> or <c>Vector512&lt;float&gt;</c>, with 16 or 32 vector registers, so results do not depend
/// on those; and a batched pass split at a multiple of 16 columns gives the same bits as one call over the whole range.
/// Multiply-adds are fused on .NET 9 and later; scalar tails use a plain <c>+= a * b</c>.
/// </remarks>
public static class DenseKernels
{
    /// <summary>
    /// One sample: a[o] = f(b[o] + Σᵢ x[i]·W[i, o]) for every output. x is (inputs), W (inputs, outputs), b and a (outputs).
    /// Sixteen vectors of outputs per pass over the inputs where the hardware has 32 vector registers, then eight, then
    /// at most one tile of four, two and one vectors with a second chain for odd inputs, then single outputs as four
    /// interleaved partial sums.
    /// </summary>
    /// <typeparam name="TActivation">f; Sigmoid and Tanh are applied over the whole row after the tiles.</typeparam>
    /// <exception cref="ArgumentException">A size is negative or a span is shorter than the sizes need.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Forward<TActivation>(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> b, Span<float> a, int inputs, int outputs)
        where TActivation : struct, IActivation
    {
        KernelArguments.Size(inputs, nameof(inputs));
        KernelArguments.Size(outputs, nameof(outputs));
        KernelArguments.Length(x.Length, inputs, nameof(x));
        KernelArguments.Length(w.Length, (long)inputs * outputs, nameof(w));
        KernelArguments.Length(b.Length, outputs, nameof(b));
        KernelArguments.Length(a.Length, outputs, nameof(a));

        ref float weights = ref MemoryMarshal.GetReference(w);
        ref float xStart = ref MemoryMarshal.GetReference(x);
        ref float bias = ref MemoryMarshal.GetReference(b);
        ref float aStart = ref MemoryMarshal.GetReference(a);
        int lanes = Vector<float>.Count;
        int output = 0;
        if (Hardware.HasThirtyTwoVectorRegisters)
        {
            for (; output + 16 * lanes <= outputs; output += 16 * lanes)
            {
                RowTiles.Wide<Sixteen, TActivation>(ref Unsafe.Add(ref weights, output), outputs, ref xStart, inputs, ref Unsafe.Add(ref bias, output), ref Unsafe.Add(ref aStart, output));
            }
        }

        for (; output + 8 * lanes <= outputs; output += 8 * lanes)
        {
            RowTiles.Wide<Eight, TActivation>(ref Unsafe.Add(ref weights, output), outputs, ref xStart, inputs, ref Unsafe.Add(ref bias, output), ref Unsafe.Add(ref aStart, output));
        }

        if (output + 4 * lanes <= outputs)
        {
            RowTiles.TwoChains<Four, TActivation>(ref Unsafe.Add(ref weights, output), outputs, ref xStart, inputs, ref Unsafe.Add(ref bias, output), ref Unsafe.Add(ref aStart, output));
            output += 4 * lanes;
        }

        if (output + 2 * lanes <= outputs)
        {
            RowTiles.TwoChains<Two, TActivation>(ref Unsafe.Add(ref weights, output), outputs, ref xStart, inputs, ref Unsafe.Add(ref bias, output), ref Unsafe.Add(ref aStart, output));
            output += 2 * lanes;
        }

        if (output + lanes <= outputs)
        {
            RowTiles.TwoChains<One, TActivation>(ref Unsafe.Add(ref weights, output), outputs, ref xStart, inputs, ref Unsafe.Add(ref bias, output), ref Unsafe.Add(ref aStart, output));
            output += lanes;
        }

        if (output < outputs)
        {
            ForwardLeftoverOutputs<TActivation>(ref weights, ref xStart, ref bias, ref aStart, inputs, outputs, output);
        }

        if (TActivation.IsDeferred)
        {
            TActivation.ApplyAfterTiles(a[..outputs]);
        }
    }

    /// <summary>The outputs of <see cref="Forward"/> left over after whole vectors, from <paramref name="output"/> on, one at a time.</summary>
    private static void ForwardLeftoverOutputs<TActivation>(ref float weights, ref float xStart, ref float bias, ref float aStart, int inputs, int outputs, int output)
        where TActivation : struct, IActivation
    {
        scoped BroadcastProduct product = default;
        product.Vectors = ref weights;
        product.VectorStride = outputs;
        product.Scalars = ref xStart;
        product.ScalarStride = 1;
        product.Reduction = inputs;
        product.Destination = ref aStart;
        product.Bias = ref bias;
        BroadcastTiles.ScalarColumns<One, ForwardEpilogue<TActivation>>(product, output, outputs);
    }

    /// <summary>
    /// One sample backward, given δ = dLoss/dz (outputs): db[o] += δ[o]; dW[i, o] += x[i]·δ[o]; and when
    /// <paramref name="inputDelta"/> is not empty, inputDelta[i] = Σₒ W[i, o]·δ[o], dLoss/dx with no derivative applied.
    /// One pass over the weight rows: row i of dW and the same row of W are read together.
    /// </summary>
    /// <exception cref="ArgumentException">A size is negative or a span is shorter than the sizes need.</exception>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> delta, Span<float> weightGradients, Span<float> biasGradients, Span<float> inputDelta, int inputs, int outputs)
    {
        KernelArguments.Size(inputs, nameof(inputs));
        KernelArguments.Size(outputs, nameof(outputs));
        KernelArguments.Length(x.Length, inputs, nameof(x));
        KernelArguments.Length(delta.Length, outputs, nameof(delta));
        KernelArguments.Length(weightGradients.Length, (long)inputs * outputs, nameof(weightGradients));
        KernelArguments.Length(biasGradients.Length, outputs, nameof(biasGradients));
        if (!inputDelta.IsEmpty)
        {
            KernelArguments.Length(w.Length, (long)inputs * outputs, nameof(w));
            KernelArguments.Length(inputDelta.Length, inputs, nameof(inputDelta));
        }

        ref float deltaStart = ref MemoryMarshal.GetReference(delta);
        ref float biasStart = ref MemoryMarshal.GetReference(biasGradients);
        for (int output = 0; output < outputs; output++)
        {
            Unsafe.Add(ref biasStart, output) += Unsafe.Add(ref deltaStart, output);
        }

        if (inputDelta.IsEmpty)
        {
            BackwardRows(x, w, delta, weightGradients, inputDelta, inputs, outputs, propagate: false);
        }
        else
        {
            BackwardRows(x, w, delta, weightGradients, inputDelta, inputs, outputs, propagate: true);
        }
    }

    /// <summary>dW[i, o..] += x[i]·δ[o..] row by row and, with <paramref name="propagate"/> (a constant here), inputDelta[i] = W[i, ..]·δ.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void BackwardRows(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> delta, Span<float> weightGradients, Span<float> inputDelta, int inputs, int outputs, bool propagate)
    {
        ref float xStart = ref MemoryMarshal.GetReference(x);
        ref float deltaStart = ref MemoryMarshal.GetReference(delta);
        ref float weightRow = ref MemoryMarshal.GetReference(w);
        ref float gradientRow = ref MemoryMarshal.GetReference(weightGradients);
        ref float inputDeltaStart = ref MemoryMarshal.GetReference(inputDelta);
        int lanes = Vector<float>.Count;
        for (int input = 0; input < inputs; input++)
        {
            float xi = Unsafe.Add(ref xStart, input);
            Vector<float> xVector = new(xi);
            Vector<float> back = Vector<float>.Zero;
            int output = 0;
            for (; output <= outputs - lanes; output += lanes)
            {
                Vector<float> d = PortableLanes.Load(ref deltaStart, output);
                Vector<float> gradient = PortableLanes.Load(ref gradientRow, output);
                gradient = PortableLanes.MultiplyAdd(gradient, xVector, d);
                PortableLanes.Store(gradient, ref gradientRow, output);
                if (propagate)
                {
                    back = PortableLanes.MultiplyAdd(back, PortableLanes.Load(ref weightRow, output), d);
                }
            }

            float total = propagate ? Vector.Sum(back) : 0f;
            for (; output < outputs; output++)
            {
                float d = Unsafe.Add(ref deltaStart, output);
                Unsafe.Add(ref gradientRow, output) += xi * d;
                if (propagate)
                {
                    total += Unsafe.Add(ref weightRow, output) * d;
                }
            }

            if (propagate)
            {
                Unsafe.Add(ref inputDeltaStart, input) = total;
                weightRow = ref Unsafe.Add(ref weightRow, outputs);
            }

            gradientRow = ref Unsafe.Add(ref gradientRow, outputs);
        }
    }

    /// <summary>
    /// A batch through a wide layer: a[s, o] = f(b[o] + Σᵢ x[s, i]·W[i, o]) for samples s in [0, count) and outputs o in
    /// [<paramref name="firstOutput"/>, <paramref name="endOutput"/>). x is (count, inputs), a (count, outputs). Tiles
    /// of 4 samples × 4, 2, 1 vectors of outputs (16-lane ones first where AVX-512 runs beside an 8-lane
    /// <c>Vector&lt;float&gt;</c>), then single outputs; samples outside, outputs inside, so a tile's sample rows stay
    /// in L1 while the weight rows stream past. Sigmoid and Tanh are applied to each row's range after the tiles.
    /// </summary>
    /// <exception cref="ArgumentException">A size is negative, a span is shorter than the sizes need, or the range is outside the outputs.</exception>
    public static void ForwardBatch<TActivation>(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> b, Span<float> a, int count, int inputs, int outputs, int firstOutput, int endOutput)
        where TActivation : struct, IActivation
    {
        CheckBatch(x.Length, a.Length, count, inputs, outputs, nameof(x), nameof(a));
        KernelArguments.Length(w.Length, (long)inputs * outputs, nameof(w));
        KernelArguments.Length(b.Length, outputs, nameof(b));
        KernelArguments.Range(firstOutput, endOutput, outputs, nameof(firstOutput), nameof(endOutput));

        ref float xStart = ref MemoryMarshal.GetReference(x);
        ref float aStart = ref MemoryMarshal.GetReference(a);
        BroadcastProduct product = default;
        product.Vectors = ref MemoryMarshal.GetReference(w);
        product.VectorStride = outputs;
        product.ScalarRowDistance = inputs;
        product.ScalarStride = 1;
        product.Reduction = inputs;
        product.DestinationRowDistance = outputs;
        product.Bias = ref MemoryMarshal.GetReference(b);
        int sample = 0;
        for (; sample + 4 <= count; sample += 4)
        {
            product.Scalars = ref Unsafe.Add(ref xStart, (nint)sample * inputs);
            product.Destination = ref Unsafe.Add(ref aStart, (nint)sample * outputs);
            BroadcastTiles.Columns<Four, ForwardEpilogue<TActivation>>(product, firstOutput, endOutput);
        }

        for (; sample < count; sample++)
        {
            product.Scalars = ref Unsafe.Add(ref xStart, (nint)sample * inputs);
            product.Destination = ref Unsafe.Add(ref aStart, (nint)sample * outputs);
            BroadcastTiles.Columns<One, ForwardEpilogue<TActivation>>(product, firstOutput, endOutput);
        }

        ApplyDeferredRows<TActivation>(a, count, outputs, firstOutput, endOutput);
    }

    /// <summary>
    /// A batch through a narrow layer, from <paramref name="transposedWeights"/> = Wᵀ (outputs, inputs) as
    /// <see cref="Transpose"/> wrote it: a[s, o] = f(b[o] + Σᵢ x[s, i]·Wᵀ[o, i]) for o in [<paramref name="firstOutput"/>,
    /// <paramref name="endOutput"/>), as dot products along the inputs in tiles of 4 samples × 4 outputs. A broadcast
    /// tile over a few outputs would be one vector wide, with the rest in scalar tails.
    /// </summary>
    /// <exception cref="ArgumentException">A size is negative, a span is shorter than the sizes need, or the range is outside the outputs.</exception>
    public static void ForwardBatchTransposed<TActivation>(ReadOnlySpan<float> x, ReadOnlySpan<float> transposedWeights, ReadOnlySpan<float> b, Span<float> a, int count, int inputs, int outputs, int firstOutput, int endOutput)
        where TActivation : struct, IActivation
    {
        CheckBatch(x.Length, a.Length, count, inputs, outputs, nameof(x), nameof(a));
        KernelArguments.Length(transposedWeights.Length, (long)inputs * outputs, nameof(transposedWeights));
        KernelArguments.Length(b.Length, outputs, nameof(b));
        KernelArguments.Range(firstOutput, endOutput, outputs, nameof(firstOutput), nameof(endOutput));

        ref float transposedStart = ref MemoryMarshal.GetReference(transposedWeights);
        ref float bias = ref MemoryMarshal.GetReference(b);
        ref float aStart = ref MemoryMarshal.GetReference(a);
        DotProduct product = default;
        product.Left = ref MemoryMarshal.GetReference(x);
        product.LeftRowDistance = inputs;
        product.RightRowDistance = inputs;
        product.Length = inputs;
        product.DestinationRowDistance = outputs;
        int output = firstOutput;
        for (; output + 4 <= endOutput; output += 4)
        {
            product.Right = ref Unsafe.Add(ref transposedStart, (nint)output * inputs);
            product.Destination = ref Unsafe.Add(ref aStart, output);
            product.Bias = ref Unsafe.Add(ref bias, output);
            DotTiles.Rows<Four, DotForwardEpilogue<TActivation>>(product, count);
        }

        for (; output < endOutput; output++)
        {
            product.Right = ref Unsafe.Add(ref transposedStart, (nint)output * inputs);
            product.Destination = ref Unsafe.Add(ref aStart, output);
            product.Bias = ref Unsafe.Add(ref bias, output);
            DotTiles.Rows<One, DotForwardEpilogue<TActivation>>(product, count);
        }

        ApplyDeferredRows<TActivation>(a, count, outputs, firstOutput, endOutput);
    }

    /// <summary>
    /// Wᵀ[o, i] = W[i, o] for inputs i in [<paramref name="firstInput"/>, <paramref name="endInput"/>) and outputs o in
    /// [<paramref name="firstOutput"/>, <paramref name="endOutput"/>): only that block, so that threads splitting a pass
    /// by outputs or by inputs each transpose the part they read. <paramref name="transposedWeights"/> is (outputs, inputs).
    /// </summary>
    /// <exception cref="ArgumentException">A size is negative, a span is shorter than the sizes need, or a range is outside its size.</exception>
    public static void Transpose(ReadOnlySpan<float> w, Span<float> transposedWeights, int inputs, int outputs, int firstInput, int endInput, int firstOutput, int endOutput)
    {
        KernelArguments.Size(inputs, nameof(inputs));
        KernelArguments.Size(outputs, nameof(outputs));
        KernelArguments.Length(w.Length, (long)inputs * outputs, nameof(w));
        KernelArguments.Length(transposedWeights.Length, (long)inputs * outputs, nameof(transposedWeights));
        KernelArguments.Range(firstInput, endInput, inputs, nameof(firstInput), nameof(endInput));
        KernelArguments.Range(firstOutput, endOutput, outputs, nameof(firstOutput), nameof(endOutput));

        ref float wStart = ref MemoryMarshal.GetReference(w);
        ref float transposedStart = ref MemoryMarshal.GetReference(transposedWeights);
        for (int input = firstInput; input < endInput; input++)
        {
            ref float weightRow = ref Unsafe.Add(ref wStart, (nint)input * outputs);
            for (int output = firstOutput; output < endOutput; output++)
            {
                Unsafe.Add(ref transposedStart, (nint)output * inputs + input) = Unsafe.Add(ref weightRow, output);
            }
        }
    }

    /// <summary>
    /// The batch's parameter gradients for outputs o in [<paramref name="firstOutput"/>, <paramref name="endOutput"/>):
    /// db[o] += Σₛ δ[s, o] and dW[i, o] += Σₛ x[s, i]·δ[s, o]. x is (count, inputs), δ (count, outputs). Tiles of 4 inputs ×
    /// 4, 2, 1 vectors of outputs, the reduction running over the samples; each bias gradient adds the samples in order,
    /// as a plain loop would.
    /// </summary>
    /// <exception cref="ArgumentException">A size is negative, a span is shorter than the sizes need, or the range is outside the outputs.</exception>
    public static void WeightGradientsBatch(ReadOnlySpan<float> x, ReadOnlySpan<float> delta, Span<float> weightGradients, Span<float> biasGradients, int count, int inputs, int outputs, int firstOutput, int endOutput)
    {
        CheckBatch(x.Length, delta.Length, count, inputs, outputs, nameof(x), nameof(delta));
        KernelArguments.Length(weightGradients.Length, (long)inputs * outputs, nameof(weightGradients));
        KernelArguments.Length(biasGradients.Length, outputs, nameof(biasGradients));
        KernelArguments.Range(firstOutput, endOutput, outputs, nameof(firstOutput), nameof(endOutput));

        ref float xStart = ref MemoryMarshal.GetReference(x);
        ref float deltaStart = ref MemoryMarshal.GetReference(delta);
        ref float gradientStart = ref MemoryMarshal.GetReference(weightGradients);
        BiasGradientsBatch(ref deltaStart, ref MemoryMarshal.GetReference(biasGradients), count, outputs, firstOutput, endOutput);

        // dW rows i.., columns o..: Σ over the batch of x[s, i]·δ[s, o..].
        BroadcastProduct product = default;
        product.Vectors = ref deltaStart;
        product.VectorStride = outputs;
        product.ScalarRowDistance = 1;
        product.ScalarStride = inputs;
        product.Reduction = count;
        product.DestinationRowDistance = outputs;
        product.Bias = ref gradientStart;
        int input = 0;
        for (; input + 4 <= inputs; input += 4)
        {
            product.Scalars = ref Unsafe.Add(ref xStart, input);
            product.Destination = ref Unsafe.Add(ref gradientStart, (nint)input * outputs);
            BroadcastTiles.Columns<Four, AddEpilogue>(product, firstOutput, endOutput);
        }

        for (; input < inputs; input++)
        {
            product.Scalars = ref Unsafe.Add(ref xStart, input);
            product.Destination = ref Unsafe.Add(ref gradientStart, (nint)input * outputs);
            BroadcastTiles.Columns<One, AddEpilogue>(product, firstOutput, endOutput);
        }
    }

    /// <summary>db[o..] += Σₛ δ[s, o..]: a vector of outputs summed over the whole batch in a register, then single outputs.</summary>
    private static void BiasGradientsBatch(ref float deltaStart, ref float biasStart, int count, int outputs, int firstOutput, int endOutput)
    {
        int output = firstOutput;
        for (; output + Vector<float>.Count <= endOutput; output += Vector<float>.Count)
        {
            Vector<float> sum = PortableLanes.Load(ref biasStart, output);
            ref float deltaColumn = ref Unsafe.Add(ref deltaStart, output);
            for (int sample = 0; sample < count; sample++)
            {
                sum += PortableLanes.Load(ref deltaColumn, (nint)sample * outputs);
            }

            PortableLanes.Store(sum, ref biasStart, output);
        }

        for (; output < endOutput; output++)
        {
            float total = Unsafe.Add(ref biasStart, output);
            ref float deltaColumn = ref Unsafe.Add(ref deltaStart, output);
            for (int sample = 0; sample < count; sample++)
            {
                total += Unsafe.Add(ref deltaColumn, (nint)sample * outputs);
            }

            Unsafe.Add(ref biasStart, output) = total;
        }
    }

    /// <summary>
    /// The batch's δ for the previous layer, for inputs i in [<paramref name="firstInput"/>, <paramref name="endInput"/>):
    /// inputDelta[s, i] = Σₒ δ[s, o]·W[i, o], no derivative applied. δ is (count, outputs), inputDelta (count, inputs). Dot
    /// products along the weight rows in tiles of 4 samples × 4 rows; a block of weight rows stays in L1 while every
    /// sample's δ passes over it.
    /// </summary>
    /// <exception cref="ArgumentException">A size is negative, a span is shorter than the sizes need, or the range is outside the inputs.</exception>
    public static void InputDeltaBatch(ReadOnlySpan<float> delta, ReadOnlySpan<float> w, Span<float> inputDelta, int count, int inputs, int outputs, int firstInput, int endInput)
    {
        CheckBatch(inputDelta.Length, delta.Length, count, inputs, outputs, nameof(inputDelta), nameof(delta));
        KernelArguments.Length(w.Length, (long)inputs * outputs, nameof(w));
        KernelArguments.Range(firstInput, endInput, inputs, nameof(firstInput), nameof(endInput));

        ref float wStart = ref MemoryMarshal.GetReference(w);
        ref float inputDeltaStart = ref MemoryMarshal.GetReference(inputDelta);
        DotProduct product = default;
        product.Left = ref MemoryMarshal.GetReference(delta);
        product.LeftRowDistance = outputs;
        product.RightRowDistance = outputs;
        product.Length = outputs;
        product.DestinationRowDistance = inputs;
        int input = firstInput;
        for (; input + 4 <= endInput; input += 4)
        {
            product.Right = ref Unsafe.Add(ref wStart, (nint)input * outputs);
            product.Destination = ref Unsafe.Add(ref inputDeltaStart, input);
            product.Bias = ref product.Destination;
            DotTiles.Rows<Four, StoreEpilogue>(product, count);
        }

        for (; input < endInput; input++)
        {
            product.Right = ref Unsafe.Add(ref wStart, (nint)input * outputs);
            product.Destination = ref Unsafe.Add(ref inputDeltaStart, input);
            product.Bias = ref product.Destination;
            DotTiles.Rows<One, StoreEpilogue>(product, count);
        }
    }

    /// <summary>
    /// <see cref="InputDeltaBatch"/> from <paramref name="transposedWeights"/> = Wᵀ (outputs, inputs), for narrow layers:
    /// inputDelta[s, i..] = Σₒ δ[s, o]·Wᵀ[o, i..] in broadcast tiles of 4 samples × 4, 2, 1 vectors of inputs, like the
    /// forward pass of a wide layer. The caller has filled Wᵀ for the inputs range (<see cref="Transpose"/>).
    /// </summary>
    /// <exception cref="ArgumentException">A size is negative, a span is shorter than the sizes need, or the range is outside the inputs.</exception>
    public static void InputDeltaBatchTransposed(ReadOnlySpan<float> delta, ReadOnlySpan<float> transposedWeights, Span<float> inputDelta, int count, int inputs, int outputs, int firstInput, int endInput)
    {
        CheckBatch(inputDelta.Length, delta.Length, count, inputs, outputs, nameof(inputDelta), nameof(delta));
        KernelArguments.Length(transposedWeights.Length, (long)inputs * outputs, nameof(transposedWeights));
        KernelArguments.Range(firstInput, endInput, inputs, nameof(firstInput), nameof(endInput));

        ref float deltaStart = ref MemoryMarshal.GetReference(delta);
        ref float inputDeltaStart = ref MemoryMarshal.GetReference(inputDelta);
        BroadcastProduct product = default;
        product.Vectors = ref MemoryMarshal.GetReference(transposedWeights);
        product.VectorStride = inputs;
        product.ScalarRowDistance = outputs;
        product.ScalarStride = 1;
        product.Reduction = outputs;
        product.DestinationRowDistance = inputs;
        product.Bias = ref inputDeltaStart;
        int sample = 0;
        for (; sample + 4 <= count; sample += 4)
        {
            product.Scalars = ref Unsafe.Add(ref deltaStart, (nint)sample * outputs);
            product.Destination = ref Unsafe.Add(ref inputDeltaStart, (nint)sample * inputs);
            BroadcastTiles.Columns<Four, StoreEpilogue>(product, firstInput, endInput);
        }

        for (; sample < count; sample++)
        {
            product.Scalars = ref Unsafe.Add(ref deltaStart, (nint)sample * outputs);
            product.Destination = ref Unsafe.Add(ref inputDeltaStart, (nint)sample * inputs);
            BroadcastTiles.Columns<One, StoreEpilogue>(product, firstInput, endInput);
        }
    }

    /// <summary>Checks the sizes and the two row-major batch spans, (count, inputs) and (count, outputs).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CheckBatch(int inputRowsLength, int outputRowsLength, int count, int inputs, int outputs, string inputRowsName, string outputRowsName)
    {
        KernelArguments.Size(count, nameof(count));
        KernelArguments.Size(inputs, nameof(inputs));
        KernelArguments.Size(outputs, nameof(outputs));
        KernelArguments.Length(inputRowsLength, (long)count * inputs, inputRowsName);
        KernelArguments.Length(outputRowsLength, (long)count * outputs, outputRowsName);
    }

    /// <summary>
    /// A deferred activation over each sample's outputs [first, end), row by row, so that a split pass and a whole one cut
    /// the vectors at the same places and agree bit for bit.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ApplyDeferredRows<TActivation>(Span<float> a, int count, int outputs, int first, int end)
        where TActivation : struct, IActivation
    {
        if (!TActivation.IsDeferred)
        {
            return;
        }

        for (int row = 0; row < count; row++)
        {
            TActivation.ApplyAfterTiles(a.Slice(row * outputs + first, end - first));
        }
    }
}
