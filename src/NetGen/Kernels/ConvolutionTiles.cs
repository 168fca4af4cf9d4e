using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NetGen.Kernels;

/// <summary>
/// The forward product of a convolution over one sample's im2col matrix: z[f, p] = b[f] + Σₖ W[f, k]·col[k, p], rows
/// are filters and columns output pixels. <see cref="BroadcastTiles"/> with a bias per row instead of per column:
/// in a <see cref="BroadcastProduct"/>, <c>Bias</c> points at b[f] of the block's first filter and row r's bias is r
/// elements on.
/// </summary>
internal static class ConvolutionTiles
{
    /// <summary>
    /// Pixels [<paramref name="first"/>, <paramref name="end"/>) of <typeparamref name="TRows"/> filters, in the order
    /// of <see cref="BroadcastTiles.Columns{TRows, TEpilogue}"/>: 16-lane tiles first where
    /// <see cref="Hardware.HasWideTiles"/>, then <c>Vector&lt;float&gt;</c> tiles of 4, 2, 1 vectors, then single pixels.
    /// A pixel's lane runs the same multiply-adds in the same order in every tile, so results do not depend on which ran.
    /// </summary>
    public static void Forward<TRows, TActivation>(scoped in BroadcastProduct product, int first, int end)
        where TRows : struct, ICount
        where TActivation : struct, IActivation
    {
        int column = first;
        if (Hardware.HasWideTiles)
        {
            column = VectorTiles<Vector512<float>, WideLanes, TRows, TActivation>(product, column, end, fourVectors: true);
        }

        // More than 8 accumulators only with 32 vector registers: AVX2's 16 would spill them.
        bool fourVectors = TRows.Value * 4 <= 8 || Hardware.HasThirtyTwoVectorRegisters;
        column = VectorTiles<System.Numerics.Vector<float>, PortableLanes, TRows, TActivation>(product, column, end, fourVectors);
        ScalarColumns<TRows, TActivation>(product, column, end);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int VectorTiles<TVector, TLanes, TRows, TActivation>(scoped in BroadcastProduct product, int column, int end, bool fourVectors)
        where TVector : struct
        where TLanes : struct, ILanes<TVector>
        where TRows : struct, ICount
        where TActivation : struct, IActivation
    {
        int lanes = TLanes.Count;
        if (fourVectors)
        {
            for (; column + 4 * lanes <= end; column += 4 * lanes)
            {
                Tile<TVector, TLanes, TRows, Four, TActivation>(product, column);
            }

            if (column + 2 * lanes <= end)
            {
                Tile<TVector, TLanes, TRows, Two, TActivation>(product, column);
                column += 2 * lanes;
            }
        }
        else
        {
            for (; column + 2 * lanes <= end; column += 2 * lanes)
            {
                Tile<TVector, TLanes, TRows, Two, TActivation>(product, column);
            }
        }

        if (column + lanes <= end)
        {
            Tile<TVector, TLanes, TRows, One, TActivation>(product, column);
            column += lanes;
        }

        return column;
    }

    /// <summary>
    /// One <typeparamref name="TRows"/> filters × <typeparamref name="TVectors"/> vectors of pixels tile (each up to 4),
    /// accumulators from zero, bias and activation at the store. Not inlined, as in <see cref="BroadcastTiles"/>: each
    /// tile is register-allocated on its own.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Tile<TVector, TLanes, TRows, TVectors, TActivation>(scoped in BroadcastProduct product, int column)
        where TVector : struct
        where TLanes : struct, ILanes<TVector>
        where TRows : struct, ICount
        where TVectors : struct, ICount
        where TActivation : struct, IActivation
    {
        int rows = TRows.Value, vectors = TVectors.Value, lanes = TLanes.Count;
        ref float vectorRow = ref Unsafe.Add(ref product.Vectors, column);
        ref float scalars = ref product.Scalars;
        nint vectorStride = product.VectorStride, scalarStride = product.ScalarStride;
        nint row1 = product.ScalarRowDistance, row2 = 2 * row1, row3 = 3 * row1;
        int reduction = product.Reduction;

        TVector sum00 = TLanes.Zero, sum01 = TLanes.Zero, sum02 = TLanes.Zero, sum03 = TLanes.Zero;
        TVector sum10 = TLanes.Zero, sum11 = TLanes.Zero, sum12 = TLanes.Zero, sum13 = TLanes.Zero;
        TVector sum20 = TLanes.Zero, sum21 = TLanes.Zero, sum22 = TLanes.Zero, sum23 = TLanes.Zero;
        TVector sum30 = TLanes.Zero, sum31 = TLanes.Zero, sum32 = TLanes.Zero, sum33 = TLanes.Zero;
        for (int k = 0; k < reduction; k++)
        {
            TVector v0 = TLanes.Load(ref vectorRow, 0);
            TVector v1 = vectors > 1 ? TLanes.Load(ref vectorRow, lanes) : default;
            TVector v2 = vectors > 2 ? TLanes.Load(ref vectorRow, 2 * lanes) : default;
            TVector v3 = vectors > 3 ? TLanes.Load(ref vectorRow, 3 * lanes) : default;

            TVector w0 = TLanes.Broadcast(scalars);
            sum00 = TLanes.MultiplyAdd(sum00, w0, v0);
            if (vectors > 1) { sum01 = TLanes.MultiplyAdd(sum01, w0, v1); }
            if (vectors > 2) { sum02 = TLanes.MultiplyAdd(sum02, w0, v2); }
            if (vectors > 3) { sum03 = TLanes.MultiplyAdd(sum03, w0, v3); }

            if (rows > 1)
            {
                TVector w1 = TLanes.Broadcast(Unsafe.Add(ref scalars, row1));
                sum10 = TLanes.MultiplyAdd(sum10, w1, v0);
                if (vectors > 1) { sum11 = TLanes.MultiplyAdd(sum11, w1, v1); }
                if (vectors > 2) { sum12 = TLanes.MultiplyAdd(sum12, w1, v2); }
                if (vectors > 3) { sum13 = TLanes.MultiplyAdd(sum13, w1, v3); }
            }

            if (rows > 2)
            {
                TVector w2 = TLanes.Broadcast(Unsafe.Add(ref scalars, row2));
                sum20 = TLanes.MultiplyAdd(sum20, w2, v0);
                if (vectors > 1) { sum21 = TLanes.MultiplyAdd(sum21, w2, v1); }
                if (vectors > 2) { sum22 = TLanes.MultiplyAdd(sum22, w2, v2); }
                if (vectors > 3) { sum23 = TLanes.MultiplyAdd(sum23, w2, v3); }
            }

            if (rows > 3)
            {
                TVector w3 = TLanes.Broadcast(Unsafe.Add(ref scalars, row3));
                sum30 = TLanes.MultiplyAdd(sum30, w3, v0);
                if (vectors > 1) { sum31 = TLanes.MultiplyAdd(sum31, w3, v1); }
                if (vectors > 2) { sum32 = TLanes.MultiplyAdd(sum32, w3, v2); }
                if (vectors > 3) { sum33 = TLanes.MultiplyAdd(sum33, w3, v3); }
            }

            vectorRow = ref Unsafe.Add(ref vectorRow, vectorStride);
            scalars = ref Unsafe.Add(ref scalars, scalarStride);
        }

        nint destinationRow = product.DestinationRowDistance;
        ref float destination = ref Unsafe.Add(ref product.Destination, column);
        ref float bias = ref product.Bias;
        StoreRow<TVector, TLanes, TVectors, TActivation>(sum00, sum01, sum02, sum03, ref destination, bias);
        if (rows > 1)
        {
            StoreRow<TVector, TLanes, TVectors, TActivation>(sum10, sum11, sum12, sum13, ref Unsafe.Add(ref destination, destinationRow), Unsafe.Add(ref bias, 1));
        }

        if (rows > 2)
        {
            StoreRow<TVector, TLanes, TVectors, TActivation>(sum20, sum21, sum22, sum23, ref Unsafe.Add(ref destination, 2 * destinationRow), Unsafe.Add(ref bias, 2));
        }

        if (rows > 3)
        {
            StoreRow<TVector, TLanes, TVectors, TActivation>(sum30, sum31, sum32, sum33, ref Unsafe.Add(ref destination, 3 * destinationRow), Unsafe.Add(ref bias, 3));
        }
    }

    /// <summary>a = f(sum + b) for one filter's vectors of pixels, b added after the sum as in the scalar tail.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow<TVector, TLanes, TVectors, TActivation>(TVector sum0, TVector sum1, TVector sum2, TVector sum3, ref float destination, float bias)
        where TVector : struct
        where TLanes : struct, ILanes<TVector>
        where TVectors : struct, ICount
        where TActivation : struct, IActivation
    {
        int lanes = TLanes.Count;
        TVector b = TLanes.Broadcast(bias);
        TLanes.Store(TLanes.ApplyInTile<TActivation>(TLanes.Add(sum0, b)), ref destination, 0);
        if (TVectors.Value > 1)
        {
            TLanes.Store(TLanes.ApplyInTile<TActivation>(TLanes.Add(sum1, b)), ref destination, lanes);
        }

        if (TVectors.Value > 2)
        {
            TLanes.Store(TLanes.ApplyInTile<TActivation>(TLanes.Add(sum2, b)), ref destination, 2 * lanes);
        }

        if (TVectors.Value > 3)
        {
            TLanes.Store(TLanes.ApplyInTile<TActivation>(TLanes.Add(sum3, b)), ref destination, 3 * lanes);
        }
    }

    /// <summary>The pixels left over after whole vectors, one at a time, one chain per filter.</summary>
    private static void ScalarColumns<TRows, TActivation>(scoped in BroadcastProduct product, int column, int end)
        where TRows : struct, ICount
        where TActivation : struct, IActivation
    {
        int rows = TRows.Value;
        nint vectorStride = product.VectorStride, scalarStride = product.ScalarStride, row1 = product.ScalarRowDistance;
        nint destinationRow = product.DestinationRowDistance;
        int reduction = product.Reduction;
        ref float bias = ref product.Bias;
        for (; column < end; column++)
        {
            ref float vectorColumn = ref Unsafe.Add(ref product.Vectors, column);
            ref float scalars = ref product.Scalars;
            ref float destination = ref Unsafe.Add(ref product.Destination, column);
            float total0 = 0f, total1 = 0f, total2 = 0f, total3 = 0f;
            for (int k = 0; k < reduction; k++)
            {
                float v = Unsafe.Add(ref vectorColumn, k * vectorStride);
                ref float kScalars = ref Unsafe.Add(ref scalars, k * scalarStride);
                total0 += kScalars * v;
                if (rows > 1) { total1 += Unsafe.Add(ref kScalars, row1) * v; }
                if (rows > 2) { total2 += Unsafe.Add(ref kScalars, 2 * row1) * v; }
                if (rows > 3) { total3 += Unsafe.Add(ref kScalars, 3 * row1) * v; }
            }

            destination = TActivation.ApplyInTile(total0 + bias);
            if (rows > 1) { Unsafe.Add(ref destination, destinationRow) = TActivation.ApplyInTile(total1 + Unsafe.Add(ref bias, 1)); }
            if (rows > 2) { Unsafe.Add(ref destination, 2 * destinationRow) = TActivation.ApplyInTile(total2 + Unsafe.Add(ref bias, 2)); }
            if (rows > 3) { Unsafe.Add(ref destination, 3 * destinationRow) = TActivation.ApplyInTile(total3 + Unsafe.Add(ref bias, 3)); }
        }
    }
}
