using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NetGen.Kernels;

/// <summary>
/// The activation derivative as its own step, between a layer's backward δ for its inputs (dLoss/dx from
/// <see cref="DenseKernels"/>) and the previous layer's backward pass, which needs dLoss/dz: each layer owns its derivative.
/// </summary>
public static class ActivationKernels
{
    /// <summary>
    /// gradients[j] *= f'(z[j]) with f' taken from the layer's output activations[j] = f(z[j]): Sigmoid a(1 − a), Tanh
    /// 1 − a², ReLU [a &gt; 0], LeakyReLU 1 or the slope; Identity leaves the gradients as they are. Over the whole of
    /// <paramref name="gradients"/>, a <c>Vector&lt;float&gt;</c> at a time with a scalar tail.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="activations"/> is shorter than <paramref name="gradients"/>.</exception>
    public static void MultiplyByDerivative<TActivation>(ReadOnlySpan<float> activations, Span<float> gradients)
        where TActivation : struct, IActivation
    {
        KernelArguments.Length(activations.Length, gradients.Length, nameof(activations));
        Apply<TActivation>(ref MemoryMarshal.GetReference(activations), ref MemoryMarshal.GetReference(gradients), gradients.Length);
    }

    /// <summary>
    /// <see cref="MultiplyByDerivative{TActivation}(ReadOnlySpan{float}, Span{float})"/> over columns [<paramref name="first"/>,
    /// <paramref name="end"/>) of each of <paramref name="rows"/> rows of <paramref name="rowLength"/>, both spans
    /// (rows, rowLength) row-major: what a pass split by outputs needs.
    /// </summary>
    /// <exception cref="ArgumentException">A size is negative, a span is shorter than the rows, or the range is outside a row.</exception>
    public static void MultiplyByDerivative<TActivation>(ReadOnlySpan<float> activations, Span<float> gradients, int rows, int rowLength, int first, int end)
        where TActivation : struct, IActivation
    {
        CheckRows(activations.Length, gradients.Length, rows, rowLength, first, end, nameof(activations), nameof(gradients));
        if (typeof(TActivation) == typeof(IdentityActivation))
        {
            return;
        }

        ref float activationRow = ref Unsafe.Add(ref MemoryMarshal.GetReference(activations), first);
        ref float gradientRow = ref Unsafe.Add(ref MemoryMarshal.GetReference(gradients), first);
        for (int row = 0; row < rows; row++)
        {
            Apply<TActivation>(ref activationRow, ref gradientRow, end - first);
            activationRow = ref Unsafe.Add(ref activationRow, rowLength);
            gradientRow = ref Unsafe.Add(ref gradientRow, rowLength);
        }
    }

    /// <summary>
    /// activations = f(logits) over columns [<paramref name="first"/>, <paramref name="end"/>) of each of
    /// <paramref name="rows"/> rows of <paramref name="rowLength"/>: for an output layer that keeps its logits z for the
    /// loss (Sigmoid under BinaryCrossEntropy) and computes a from them. Row by row, so that a split call and a whole
    /// one agree bit for bit.
    /// </summary>
    /// <exception cref="ArgumentException">A size is negative, a span is shorter than the rows, or the range is outside a row.</exception>
    public static void ActivateLogits<TActivation>(ReadOnlySpan<float> logits, Span<float> activations, int rows, int rowLength, int first, int end)
        where TActivation : struct, IActivation
    {
        CheckRows(logits.Length, activations.Length, rows, rowLength, first, end, nameof(logits), nameof(activations));
        for (int row = 0; row < rows; row++)
        {
            Span<float> activated = activations.Slice(row * rowLength + first, end - first);
            logits.Slice(row * rowLength + first, end - first).CopyTo(activated);
            if (TActivation.IsDeferred)
            {
                TActivation.ApplyAfterTiles(activated);
                continue;
            }

            for (int column = 0; column < activated.Length; column++)
            {
                activated[column] = TActivation.ApplyInTile(activated[column]);
            }
        }
    }

    /// <summary>The checks of a pass over columns [first, end) of two row-major (rows, rowLength) spans.</summary>
    private static void CheckRows(int sourceLength, int destinationLength, int rows, int rowLength, int first, int end, string source, string destination)
    {
        KernelArguments.Size(rows, nameof(rows));
        KernelArguments.Size(rowLength, nameof(rowLength));
        KernelArguments.Length(sourceLength, (long)rows * rowLength, source);
        KernelArguments.Length(destinationLength, (long)rows * rowLength, destination);
        KernelArguments.Range(first, end, rowLength, nameof(first), nameof(end));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Apply<TActivation>(ref float activations, ref float gradients, int length)
        where TActivation : struct, IActivation
    {
        if (typeof(TActivation) == typeof(IdentityActivation))
        {
            return;
        }

        int j = 0;
        for (; j <= length - Vector<float>.Count; j += Vector<float>.Count)
        {
            Vector<float> gradient = PortableLanes.Load(ref gradients, j);
            Vector<float> activation = PortableLanes.Load(ref activations, j);
            PortableLanes.Store(TActivation.TimesDerivative(gradient, activation), ref gradients, j);
        }

        for (; j < length; j++)
        {
            ref float gradient = ref Unsafe.Add(ref gradients, j);
            gradient = TActivation.TimesDerivative(gradient, Unsafe.Add(ref activations, j));
        }
    }
}
