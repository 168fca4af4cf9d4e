using System.Numerics;
using System.Runtime.CompilerServices;

namespace NetGen.Kernels;

/// <summary>
/// result[r, c] = Σⱼ left(r)[j] · right(c)[j] over <see cref="Length"/> contiguous elements: the forward pass of a
/// narrow layer from Wᵀ (left rows are samples, right rows outputs) and the δ of a wide layer (left rows are samples'
/// δ, right rows weight rows).
/// </summary>
internal ref struct DotProduct
{
    /// <summary>Left row 0 of the current block; row r starts <see cref="LeftRowDistance"/>·r elements on.</summary>
    public ref float Left;

    public nint LeftRowDistance;

    /// <summary>Right row 0 of the current block; row c starts <see cref="RightRowDistance"/>·c elements on.</summary>
    public ref float Right;

    public nint RightRowDistance;

    /// <summary>The elements each dot product runs over.</summary>
    public int Length;

    /// <summary>Result (0, 0) of the current block; (r, c) is <see cref="DestinationRowDistance"/>·r + c elements on.</summary>
    public ref float Destination;

    public nint DestinationRowDistance;

    /// <summary>The bias of right row 0, for epilogues that add one (any reference otherwise); right row c's is c elements on.</summary>
    public ref float Bias;
}

/// <summary>
/// The dot-product register tiles: one <c>Vector&lt;float&gt;</c> accumulator per (row, column) pair, summed across
/// lanes with <c>Vector.Sum</c> at the end, then a scalar tail along the remainder.
/// </summary>
internal static class DotTiles
{
    /// <summary>
    /// <typeparamref name="TColumns"/> right rows against every left row in [0, <paramref name="count"/>): 4 left rows at a
    /// time, then one. The right rows stay in L1 while the left rows pass over them.
    /// </summary>
    public static void Rows<TColumns, TEpilogue>(scoped in DotProduct product, int count)
        where TColumns : struct, ICount
        where TEpilogue : struct, ITileEpilogue
    {
        int row = 0;
        for (; row + 4 <= count; row += 4)
        {
            Tile<Four, TColumns, TEpilogue>(product, row);
        }

        for (; row < count; row++)
        {
            Tile<One, TColumns, TEpilogue>(product, row);
        }
    }

    /// <summary>
    /// One <typeparamref name="TRows"/> × <typeparamref name="TColumns"/> tile (each up to 4) from left row
    /// <paramref name="row"/>, a reference per row so that each load is one base register plus the shared index.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Tile<TRows, TColumns, TEpilogue>(scoped in DotProduct product, int row)
        where TRows : struct, ICount
        where TColumns : struct, ICount
        where TEpilogue : struct, ITileEpilogue
    {
        int rows = TRows.Value, columns = TColumns.Value, length = product.Length;
        nint leftRow = product.LeftRowDistance, rightRow = product.RightRowDistance;
        ref float left0 = ref Unsafe.Add(ref product.Left, row * leftRow);
        ref float left1 = ref Unsafe.Add(ref left0, rows > 1 ? leftRow : 0);
        ref float left2 = ref Unsafe.Add(ref left0, rows > 2 ? 2 * leftRow : 0);
        ref float left3 = ref Unsafe.Add(ref left0, rows > 3 ? 3 * leftRow : 0);
        ref float right0 = ref product.Right;
        ref float right1 = ref Unsafe.Add(ref right0, columns > 1 ? rightRow : 0);
        ref float right2 = ref Unsafe.Add(ref right0, columns > 2 ? 2 * rightRow : 0);
        ref float right3 = ref Unsafe.Add(ref right0, columns > 3 ? 3 * rightRow : 0);

        Vector<float> sum00 = default, sum01 = default, sum02 = default, sum03 = default;
        Vector<float> sum10 = default, sum11 = default, sum12 = default, sum13 = default;
        Vector<float> sum20 = default, sum21 = default, sum22 = default, sum23 = default;
        Vector<float> sum30 = default, sum31 = default, sum32 = default, sum33 = default;
        nint j = 0;
        for (; j <= length - Vector<float>.Count; j += Vector<float>.Count)
        {
            Vector<float> l0 = PortableLanes.Load(ref left0, j);
            Vector<float> l1 = rows > 1 ? PortableLanes.Load(ref left1, j) : default;
            Vector<float> l2 = rows > 2 ? PortableLanes.Load(ref left2, j) : default;
            Vector<float> l3 = rows > 3 ? PortableLanes.Load(ref left3, j) : default;
            Vector<float> r0 = PortableLanes.Load(ref right0, j);
            Vector<float> r1 = columns > 1 ? PortableLanes.Load(ref right1, j) : default;
            Vector<float> r2 = columns > 2 ? PortableLanes.Load(ref right2, j) : default;
            Vector<float> r3 = columns > 3 ? PortableLanes.Load(ref right3, j) : default;

            sum00 = PortableLanes.MultiplyAdd(sum00, l0, r0);
            if (columns > 1) { sum01 = PortableLanes.MultiplyAdd(sum01, l0, r1); }
            if (columns > 2) { sum02 = PortableLanes.MultiplyAdd(sum02, l0, r2); }
            if (columns > 3) { sum03 = PortableLanes.MultiplyAdd(sum03, l0, r3); }
            if (rows > 1)
            {
                sum10 = PortableLanes.MultiplyAdd(sum10, l1, r0);
                if (columns > 1) { sum11 = PortableLanes.MultiplyAdd(sum11, l1, r1); }
                if (columns > 2) { sum12 = PortableLanes.MultiplyAdd(sum12, l1, r2); }
                if (columns > 3) { sum13 = PortableLanes.MultiplyAdd(sum13, l1, r3); }
            }

            if (rows > 2)
            {
                sum20 = PortableLanes.MultiplyAdd(sum20, l2, r0);
                if (columns > 1) { sum21 = PortableLanes.MultiplyAdd(sum21, l2, r1); }
                if (columns > 2) { sum22 = PortableLanes.MultiplyAdd(sum22, l2, r2); }
                if (columns > 3) { sum23 = PortableLanes.MultiplyAdd(sum23, l2, r3); }
            }

            if (rows > 3)
            {
                sum30 = PortableLanes.MultiplyAdd(sum30, l3, r0);
                if (columns > 1) { sum31 = PortableLanes.MultiplyAdd(sum31, l3, r1); }
                if (columns > 2) { sum32 = PortableLanes.MultiplyAdd(sum32, l3, r2); }
                if (columns > 3) { sum33 = PortableLanes.MultiplyAdd(sum33, l3, r3); }
            }
        }

        float total00 = Vector.Sum(sum00), total01 = Vector.Sum(sum01), total02 = Vector.Sum(sum02), total03 = Vector.Sum(sum03);
        float total10 = Vector.Sum(sum10), total11 = Vector.Sum(sum11), total12 = Vector.Sum(sum12), total13 = Vector.Sum(sum13);
        float total20 = Vector.Sum(sum20), total21 = Vector.Sum(sum21), total22 = Vector.Sum(sum22), total23 = Vector.Sum(sum23);
        float total30 = Vector.Sum(sum30), total31 = Vector.Sum(sum31), total32 = Vector.Sum(sum32), total33 = Vector.Sum(sum33);
        for (; j < length; j++)
        {
            float l0 = Unsafe.Add(ref left0, j);
            float l1 = rows > 1 ? Unsafe.Add(ref left1, j) : 0f;
            float l2 = rows > 2 ? Unsafe.Add(ref left2, j) : 0f;
            float l3 = rows > 3 ? Unsafe.Add(ref left3, j) : 0f;
            float r0 = Unsafe.Add(ref right0, j);
            float r1 = columns > 1 ? Unsafe.Add(ref right1, j) : 0f;
            float r2 = columns > 2 ? Unsafe.Add(ref right2, j) : 0f;
            float r3 = columns > 3 ? Unsafe.Add(ref right3, j) : 0f;
            total00 += l0 * r0;
            if (columns > 1) { total01 += l0 * r1; }
            if (columns > 2) { total02 += l0 * r2; }
            if (columns > 3) { total03 += l0 * r3; }
            if (rows > 1)
            {
                total10 += l1 * r0;
                if (columns > 1) { total11 += l1 * r1; }
                if (columns > 2) { total12 += l1 * r2; }
                if (columns > 3) { total13 += l1 * r3; }
            }

            if (rows > 2)
            {
                total20 += l2 * r0;
                if (columns > 1) { total21 += l2 * r1; }
                if (columns > 2) { total22 += l2 * r2; }
                if (columns > 3) { total23 += l2 * r3; }
            }

            if (rows > 3)
            {
                total30 += l3 * r0;
                if (columns > 1) { total31 += l3 * r1; }
                if (columns > 2) { total32 += l3 * r2; }
                if (columns > 3) { total33 += l3 * r3; }
            }
        }

        nint destinationRow = product.DestinationRowDistance;
        ref float destination = ref Unsafe.Add(ref product.Destination, row * destinationRow);
        StoreRow<TColumns, TEpilogue>(total00, total01, total02, total03, ref destination, ref product.Bias);
        if (rows > 1)
        {
            StoreRow<TColumns, TEpilogue>(total10, total11, total12, total13, ref Unsafe.Add(ref destination, destinationRow), ref product.Bias);
        }

        if (rows > 2)
        {
            StoreRow<TColumns, TEpilogue>(total20, total21, total22, total23, ref Unsafe.Add(ref destination, 2 * destinationRow), ref product.Bias);
        }

        if (rows > 3)
        {
            StoreRow<TColumns, TEpilogue>(total30, total31, total32, total33, ref Unsafe.Add(ref destination, 3 * destinationRow), ref product.Bias);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow<TColumns, TEpilogue>(float total0, float total1, float total2, float total3, ref float destination, ref float bias)
        where TColumns : struct, ICount
        where TEpilogue : struct, ITileEpilogue
    {
        TEpilogue.StoreScalar(total0, ref destination, ref bias);
        if (TColumns.Value > 1) { TEpilogue.StoreScalar(total1, ref Unsafe.Add(ref destination, 1), ref Unsafe.Add(ref bias, 1)); }
        if (TColumns.Value > 2) { TEpilogue.StoreScalar(total2, ref Unsafe.Add(ref destination, 2), ref Unsafe.Add(ref bias, 2)); }
        if (TColumns.Value > 3) { TEpilogue.StoreScalar(total3, ref Unsafe.Add(ref destination, 3), ref Unsafe.Add(ref bias, 3)); }
    }
}
