using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NetGen.Kernels;

/// <summary>
/// result[r, c] = Σₖ scalar(r, k) · vectorRow(k)[c]: one scalar broadcast against contiguous rows of columns, so each
/// column is one chain of multiply-adds and needs no horizontal sum. The forward pass of a wide layer (rows are
/// samples, columns outputs), the weight gradients (rows are inputs, the reduction runs over samples) and the δ of a
/// narrow layer from Wᵀ (rows are samples, columns inputs) are all this product.
/// </summary>
internal ref struct BroadcastProduct
{
    /// <summary>Vector row k = 0 at column 0; row k starts <see cref="VectorStride"/>·k elements on.</summary>
    public ref float Vectors;

    public nint VectorStride;

    /// <summary>The scalar of tile row 0 at k = 0; the driver moves it from one block of rows to the next.</summary>
    public ref float Scalars;

    /// <summary>From tile row r's scalars to row r + 1's.</summary>
    public nint ScalarRowDistance;

    /// <summary>From the scalar for k to the one for k + 1.</summary>
    public nint ScalarStride;

    /// <summary>The number of terms k runs over.</summary>
    public int Reduction;

    /// <summary>Result row 0 of the current block, column 0.</summary>
    public ref float Destination;

    public nint DestinationRowDistance;

    /// <summary>The bias at column 0, for epilogues that add one; any reference otherwise.</summary>
    public ref float Bias;
}

/// <summary>
/// The broadcast register tiles, each written once and compiled by the JIT per vector type, shape and epilogue: a few
/// rows × a few vectors of columns, accumulators from zero, the epilogue at the store.
/// </summary>
internal static class BroadcastTiles
{
    /// <summary>
    /// Columns [<paramref name="first"/>, <paramref name="end"/>) of <typeparamref name="TRows"/> result rows: 16-lane
    /// tiles first where <see cref="Hardware.HasWideTiles"/>, then <c>Vector&lt;float&gt;</c> tiles of 4 (3 with 16
    /// registers), 2, 1 vectors, then single columns, on one column cursor. Each column's lane runs the same multiply-adds in the same
    /// order in every tile shape and vector type, so results do not depend on which tiles ran.
    /// </summary>
    public static void Columns<TRows, TEpilogue>(scoped in BroadcastProduct product, int first, int end)
        where TRows : struct, ICount
        where TEpilogue : struct, ITileEpilogue
    {
        int column = first;
        if (Hardware.HasWideTiles)
        {
            // Vector512 is accelerated only with AVX-512, which always has 32 registers.
            column = VectorTiles<Vector512<float>, WideLanes, TRows, TEpilogue>(product, column, end, fourVectors: true);
        }

        // Sixteen accumulators need 32 vector registers (AVX-512, Arm64). AVX2 has 16: there four rows take three
        // vectors at a time, 12 accumulators, the 3 vectors loaded and the broadcast scalar filling the 16 exactly.
        bool fourVectors = TRows.Value * 4 <= 8 || Hardware.HasThirtyTwoVectorRegisters;
        column = VectorTiles<Vector<float>, PortableLanes, TRows, TEpilogue>(product, column, end, fourVectors);
        ScalarColumns<TRows, TEpilogue>(product, column, end);
    }

    /// <summary>Whole tiles from <paramref name="column"/> on: a loop of the widest, then at most one of each narrower; returns the next column.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int VectorTiles<TVector, TLanes, TRows, TEpilogue>(scoped in BroadcastProduct product, int column, int end, bool fourVectors)
        where TVector : struct
        where TLanes : struct, ILanes<TVector>
        where TRows : struct, ICount
        where TEpilogue : struct, ITileEpilogue
    {
        int lanes = TLanes.Count;
        if (fourVectors)
        {
            for (; column + 4 * lanes <= end; column += 4 * lanes)
            {
                Tile<TVector, TLanes, TRows, Four, TEpilogue>(product, column);
            }

            if (column + 2 * lanes <= end)
            {
                Tile<TVector, TLanes, TRows, Two, TEpilogue>(product, column);
                column += 2 * lanes;
            }
        }
        else
        {
            for (; column + 3 * lanes <= end; column += 3 * lanes)
            {
                Tile<TVector, TLanes, TRows, Three, TEpilogue>(product, column);
            }

            if (column + 2 * lanes <= end)
            {
                Tile<TVector, TLanes, TRows, Two, TEpilogue>(product, column);
                column += 2 * lanes;
            }
        }

        if (column + lanes <= end)
        {
            Tile<TVector, TLanes, TRows, One, TEpilogue>(product, column);
            column += lanes;
        }

        return column;
    }

    /// <summary>
    /// One <typeparamref name="TRows"/> × <typeparamref name="TVectors"/> tile at <paramref name="column"/> (rows and
    /// vectors up to 4). Every scalar row is read through one reference plus a loop-invariant distance, every vector
    /// through one reference plus a constant, both references advancing by their strides. Not inlined: each tile is
    /// register-allocated on its own (the JIT declined to inline the big ones anyway, and an inlined 16-vector tile of
    /// the one-sample pass spilled an accumulator in its loop); one call per tile is nothing beside its loop.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Tile<TVector, TLanes, TRows, TVectors, TEpilogue>(scoped in BroadcastProduct product, int column)
        where TVector : struct
        where TLanes : struct, ILanes<TVector>
        where TRows : struct, ICount
        where TVectors : struct, ICount
        where TEpilogue : struct, ITileEpilogue
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

            TVector d0 = TLanes.Broadcast(scalars);
            sum00 = TLanes.MultiplyAdd(sum00, d0, v0);
            if (vectors > 1) { sum01 = TLanes.MultiplyAdd(sum01, d0, v1); }
            if (vectors > 2) { sum02 = TLanes.MultiplyAdd(sum02, d0, v2); }
            if (vectors > 3) { sum03 = TLanes.MultiplyAdd(sum03, d0, v3); }

            if (rows > 1)
            {
                TVector d1 = TLanes.Broadcast(Unsafe.Add(ref scalars, row1));
                sum10 = TLanes.MultiplyAdd(sum10, d1, v0);
                if (vectors > 1) { sum11 = TLanes.MultiplyAdd(sum11, d1, v1); }
                if (vectors > 2) { sum12 = TLanes.MultiplyAdd(sum12, d1, v2); }
                if (vectors > 3) { sum13 = TLanes.MultiplyAdd(sum13, d1, v3); }
            }

            if (rows > 2)
            {
                TVector d2 = TLanes.Broadcast(Unsafe.Add(ref scalars, row2));
                sum20 = TLanes.MultiplyAdd(sum20, d2, v0);
                if (vectors > 1) { sum21 = TLanes.MultiplyAdd(sum21, d2, v1); }
                if (vectors > 2) { sum22 = TLanes.MultiplyAdd(sum22, d2, v2); }
                if (vectors > 3) { sum23 = TLanes.MultiplyAdd(sum23, d2, v3); }
            }

            if (rows > 3)
            {
                TVector d3 = TLanes.Broadcast(Unsafe.Add(ref scalars, row3));
                sum30 = TLanes.MultiplyAdd(sum30, d3, v0);
                if (vectors > 1) { sum31 = TLanes.MultiplyAdd(sum31, d3, v1); }
                if (vectors > 2) { sum32 = TLanes.MultiplyAdd(sum32, d3, v2); }
                if (vectors > 3) { sum33 = TLanes.MultiplyAdd(sum33, d3, v3); }
            }

            vectorRow = ref Unsafe.Add(ref vectorRow, vectorStride);
            scalars = ref Unsafe.Add(ref scalars, scalarStride);
        }

        ref float bias = ref TEpilogue.BiasPerRow ? ref product.Bias : ref Unsafe.Add(ref product.Bias, column);
        nint biasRow = TEpilogue.BiasPerRow ? 1 : 0;
        nint destinationRow = product.DestinationRowDistance;
        ref float destination = ref Unsafe.Add(ref product.Destination, column);
        StoreRow<TVector, TLanes, TVectors, TEpilogue>(sum00, sum01, sum02, sum03, ref destination, ref bias);
        if (rows > 1)
        {
            StoreRow<TVector, TLanes, TVectors, TEpilogue>(sum10, sum11, sum12, sum13, ref Unsafe.Add(ref destination, destinationRow), ref Unsafe.Add(ref bias, biasRow));
        }

        if (rows > 2)
        {
            StoreRow<TVector, TLanes, TVectors, TEpilogue>(sum20, sum21, sum22, sum23, ref Unsafe.Add(ref destination, 2 * destinationRow), ref Unsafe.Add(ref bias, 2 * biasRow));
        }

        if (rows > 3)
        {
            StoreRow<TVector, TLanes, TVectors, TEpilogue>(sum30, sum31, sum32, sum33, ref Unsafe.Add(ref destination, 3 * destinationRow), ref Unsafe.Add(ref bias, 3 * biasRow));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow<TVector, TLanes, TVectors, TEpilogue>(TVector sum0, TVector sum1, TVector sum2, TVector sum3, ref float destination, ref float bias)
        where TVector : struct
        where TLanes : struct, ILanes<TVector>
        where TVectors : struct, ICount
        where TEpilogue : struct, ITileEpilogue
    {
        int lanes = TLanes.Count;
        TEpilogue.StoreVector<TVector, TLanes>(sum0, ref destination, 0, ref bias);
        if (TVectors.Value > 1)
        {
            TEpilogue.StoreVector<TVector, TLanes>(sum1, ref destination, lanes, ref bias);
        }

        if (TVectors.Value > 2)
        {
            TEpilogue.StoreVector<TVector, TLanes>(sum2, ref destination, 2 * lanes, ref bias);
        }

        if (TVectors.Value > 3)
        {
            TEpilogue.StoreVector<TVector, TLanes>(sum3, ref destination, 3 * lanes, ref bias);
        }
    }

    /// <summary>
    /// The columns left over after whole vectors, one at a time, starting from the epilogue's initial scalar: one sample's
    /// as four interleaved partial sums so that four additions are in flight, several rows' as one chain each.
    /// </summary>
    internal static void ScalarColumns<TRows, TEpilogue>(scoped in BroadcastProduct product, int column, int end)
        where TRows : struct, ICount
        where TEpilogue : struct, ITileEpilogue
    {
        int rows = TRows.Value;
        nint vectorStride = product.VectorStride, scalarStride = product.ScalarStride, row1 = product.ScalarRowDistance;
        nint destinationRow = product.DestinationRowDistance;
        int reduction = product.Reduction;
        for (; column < end; column++)
        {
            ref float vectorColumn = ref Unsafe.Add(ref product.Vectors, column);
            ref float scalars = ref product.Scalars;
            ref float bias = ref TEpilogue.BiasPerRow ? ref product.Bias : ref Unsafe.Add(ref product.Bias, column);
            nint biasRow = TEpilogue.BiasPerRow ? 1 : 0;
            ref float destination = ref Unsafe.Add(ref product.Destination, column);
            // Interleaved partial sums only where rows are samples: where they are filters (BiasPerRow), a pass split by
            // filters puts a filter in a one-row tile or a four-row one, and both must add in the same order.
            if (rows == 1 && !TEpilogue.BiasPerRow)
            {
                float total0 = TEpilogue.InitialScalar(ref bias), total1 = 0f, total2 = 0f, total3 = 0f;
                int k = 0;
                for (; k + 4 <= reduction; k += 4)
                {
                    total0 += Unsafe.Add(ref scalars, k * scalarStride) * Unsafe.Add(ref vectorColumn, k * vectorStride);
                    total1 += Unsafe.Add(ref scalars, (k + 1) * scalarStride) * Unsafe.Add(ref vectorColumn, (k + 1) * vectorStride);
                    total2 += Unsafe.Add(ref scalars, (k + 2) * scalarStride) * Unsafe.Add(ref vectorColumn, (k + 2) * vectorStride);
                    total3 += Unsafe.Add(ref scalars, (k + 3) * scalarStride) * Unsafe.Add(ref vectorColumn, (k + 3) * vectorStride);
                }

                for (; k < reduction; k++)
                {
                    total0 += Unsafe.Add(ref scalars, k * scalarStride) * Unsafe.Add(ref vectorColumn, k * vectorStride);
                }

                total0 += total1 + total2 + total3;
                TEpilogue.StoreScalar(total0, ref destination, ref bias);
            }
            else
            {
                float total0 = TEpilogue.InitialScalar(ref bias), total1 = TEpilogue.InitialScalar(ref Unsafe.Add(ref bias, biasRow));
                float total2 = TEpilogue.InitialScalar(ref Unsafe.Add(ref bias, 2 * biasRow)), total3 = TEpilogue.InitialScalar(ref Unsafe.Add(ref bias, 3 * biasRow));
                for (int k = 0; k < reduction; k++)
                {
                    float v = Unsafe.Add(ref vectorColumn, k * vectorStride);
                    ref float kScalars = ref Unsafe.Add(ref scalars, k * scalarStride);
                    total0 += kScalars * v;
                    if (rows > 1) { total1 += Unsafe.Add(ref kScalars, row1) * v; }
                    if (rows > 2) { total2 += Unsafe.Add(ref kScalars, 2 * row1) * v; }
                    if (rows > 3) { total3 += Unsafe.Add(ref kScalars, 3 * row1) * v; }
                }

                TEpilogue.StoreScalar(total0, ref destination, ref bias);
                if (rows > 1) { TEpilogue.StoreScalar(total1, ref Unsafe.Add(ref destination, destinationRow), ref Unsafe.Add(ref bias, biasRow)); }
                if (rows > 2) { TEpilogue.StoreScalar(total2, ref Unsafe.Add(ref destination, 2 * destinationRow), ref Unsafe.Add(ref bias, 2 * biasRow)); }
                if (rows > 3) { TEpilogue.StoreScalar(total3, ref Unsafe.Add(ref destination, 3 * destinationRow), ref Unsafe.Add(ref bias, 3 * biasRow)); }
            }
        }
    }
}
