using System.Numerics;
using System.Runtime.CompilerServices;

namespace NetGen.Kernels;

/// <summary>
/// The one-sample forward tiles: a[o..] = f(b[o..] + Σₖ x[k]·W[k, o..]) for a few vectors of outputs o.. per pass
/// over the inputs, the accumulators starting from the bias.
/// </summary>
internal static class RowTiles
{
    /// <summary>
    /// <typeparamref name="TVectors"/> (8 or 16) vectors of outputs from <paramref name="weights"/> (W[0, o]), one
    /// multiply-add chain each: with this many independent chains the loop is bound by loads, not latency.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Wide<TVectors, TActivation>(ref float weights, nint outputs, ref float x, int inputs, ref float bias, ref float a)
        where TVectors : struct, ICount
        where TActivation : struct, IActivation
    {
        int vectors = TVectors.Value, lanes = Vector<float>.Count;
        Vector<float> sum0 = PortableLanes.Load(ref bias, 0), sum1 = PortableLanes.Load(ref bias, lanes);
        Vector<float> sum2 = PortableLanes.Load(ref bias, 2 * lanes), sum3 = PortableLanes.Load(ref bias, 3 * lanes);
        Vector<float> sum4 = PortableLanes.Load(ref bias, 4 * lanes), sum5 = PortableLanes.Load(ref bias, 5 * lanes);
        Vector<float> sum6 = PortableLanes.Load(ref bias, 6 * lanes), sum7 = PortableLanes.Load(ref bias, 7 * lanes);
        Vector<float> sum8 = default, sum9 = default, sum10 = default, sum11 = default;
        Vector<float> sum12 = default, sum13 = default, sum14 = default, sum15 = default;
        if (vectors > 8)
        {
            sum8 = PortableLanes.Load(ref bias, 8 * lanes);
            sum9 = PortableLanes.Load(ref bias, 9 * lanes);
            sum10 = PortableLanes.Load(ref bias, 10 * lanes);
            sum11 = PortableLanes.Load(ref bias, 11 * lanes);
            sum12 = PortableLanes.Load(ref bias, 12 * lanes);
            sum13 = PortableLanes.Load(ref bias, 13 * lanes);
            sum14 = PortableLanes.Load(ref bias, 14 * lanes);
            sum15 = PortableLanes.Load(ref bias, 15 * lanes);
        }

        for (int k = 0; k < inputs; k++)
        {
            Vector<float> d = new(Unsafe.Add(ref x, k));
            sum0 = PortableLanes.MultiplyAdd(sum0, d, PortableLanes.Load(ref weights, 0));
            sum1 = PortableLanes.MultiplyAdd(sum1, d, PortableLanes.Load(ref weights, lanes));
            sum2 = PortableLanes.MultiplyAdd(sum2, d, PortableLanes.Load(ref weights, 2 * lanes));
            sum3 = PortableLanes.MultiplyAdd(sum3, d, PortableLanes.Load(ref weights, 3 * lanes));
            sum4 = PortableLanes.MultiplyAdd(sum4, d, PortableLanes.Load(ref weights, 4 * lanes));
            sum5 = PortableLanes.MultiplyAdd(sum5, d, PortableLanes.Load(ref weights, 5 * lanes));
            sum6 = PortableLanes.MultiplyAdd(sum6, d, PortableLanes.Load(ref weights, 6 * lanes));
            sum7 = PortableLanes.MultiplyAdd(sum7, d, PortableLanes.Load(ref weights, 7 * lanes));
            if (vectors > 8)
            {
                sum8 = PortableLanes.MultiplyAdd(sum8, d, PortableLanes.Load(ref weights, 8 * lanes));
                sum9 = PortableLanes.MultiplyAdd(sum9, d, PortableLanes.Load(ref weights, 9 * lanes));
                sum10 = PortableLanes.MultiplyAdd(sum10, d, PortableLanes.Load(ref weights, 10 * lanes));
                sum11 = PortableLanes.MultiplyAdd(sum11, d, PortableLanes.Load(ref weights, 11 * lanes));
                sum12 = PortableLanes.MultiplyAdd(sum12, d, PortableLanes.Load(ref weights, 12 * lanes));
                sum13 = PortableLanes.MultiplyAdd(sum13, d, PortableLanes.Load(ref weights, 13 * lanes));
                sum14 = PortableLanes.MultiplyAdd(sum14, d, PortableLanes.Load(ref weights, 14 * lanes));
                sum15 = PortableLanes.MultiplyAdd(sum15, d, PortableLanes.Load(ref weights, 15 * lanes));
            }

            weights = ref Unsafe.Add(ref weights, outputs);
        }

        PortableLanes.Store(sum0, ref a, 0);
        PortableLanes.Store(sum1, ref a, lanes);
        PortableLanes.Store(sum2, ref a, 2 * lanes);
        PortableLanes.Store(sum3, ref a, 3 * lanes);
        PortableLanes.Store(sum4, ref a, 4 * lanes);
        PortableLanes.Store(sum5, ref a, 5 * lanes);
        PortableLanes.Store(sum6, ref a, 6 * lanes);
        PortableLanes.Store(sum7, ref a, 7 * lanes);
        if (vectors > 8)
        {
            PortableLanes.Store(sum8, ref a, 8 * lanes);
            PortableLanes.Store(sum9, ref a, 9 * lanes);
            PortableLanes.Store(sum10, ref a, 10 * lanes);
            PortableLanes.Store(sum11, ref a, 11 * lanes);
            PortableLanes.Store(sum12, ref a, 12 * lanes);
            PortableLanes.Store(sum13, ref a, 13 * lanes);
            PortableLanes.Store(sum14, ref a, 14 * lanes);
            PortableLanes.Store(sum15, ref a, 15 * lanes);
        }

        // The activation in a second pass over the stored sums: applied as they leave the registers, its temporaries
        // made the JIT spill an accumulator of the 16-vector loop on every iteration.
        if (!TActivation.IsDeferred && typeof(TActivation) != typeof(IdentityActivation))
        {
            for (int v = 0; v < vectors; v++)
            {
                PortableLanes.Store(TActivation.ApplyInTile(PortableLanes.Load(ref a, v * lanes)), ref a, v * lanes);
            }
        }
    }

    /// <summary>
    /// <typeparamref name="TVectors"/> (1, 2 or 4) vectors of outputs with even and odd inputs in separate accumulators:
    /// two independent multiply-add chains per vector, so that a narrow layer is not bound by their latency.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void TwoChains<TVectors, TActivation>(ref float weights, nint outputs, ref float x, int inputs, ref float bias, ref float a)
        where TVectors : struct, ICount
        where TActivation : struct, IActivation
    {
        int vectors = TVectors.Value, lanes = Vector<float>.Count;
        Vector<float> sum0 = PortableLanes.Load(ref bias, 0);
        Vector<float> sum1 = vectors > 1 ? PortableLanes.Load(ref bias, lanes) : default;
        Vector<float> sum2 = vectors > 2 ? PortableLanes.Load(ref bias, 2 * lanes) : default;
        Vector<float> sum3 = vectors > 3 ? PortableLanes.Load(ref bias, 3 * lanes) : default;
        Vector<float> odd0 = default, odd1 = default, odd2 = default, odd3 = default;
        int k = 0;
        for (; k + 2 <= inputs; k += 2)
        {
            Vector<float> d = new(Unsafe.Add(ref x, k));
            Vector<float> dOdd = new(Unsafe.Add(ref x, k + 1));
            ref float oddWeights = ref Unsafe.Add(ref weights, outputs);
            sum0 = PortableLanes.MultiplyAdd(sum0, d, PortableLanes.Load(ref weights, 0));
            odd0 = PortableLanes.MultiplyAdd(odd0, dOdd, PortableLanes.Load(ref oddWeights, 0));
            if (vectors > 1)
            {
                sum1 = PortableLanes.MultiplyAdd(sum1, d, PortableLanes.Load(ref weights, lanes));
                odd1 = PortableLanes.MultiplyAdd(odd1, dOdd, PortableLanes.Load(ref oddWeights, lanes));
            }

            if (vectors > 2)
            {
                sum2 = PortableLanes.MultiplyAdd(sum2, d, PortableLanes.Load(ref weights, 2 * lanes));
                odd2 = PortableLanes.MultiplyAdd(odd2, dOdd, PortableLanes.Load(ref oddWeights, 2 * lanes));
            }

            if (vectors > 3)
            {
                sum3 = PortableLanes.MultiplyAdd(sum3, d, PortableLanes.Load(ref weights, 3 * lanes));
                odd3 = PortableLanes.MultiplyAdd(odd3, dOdd, PortableLanes.Load(ref oddWeights, 3 * lanes));
            }

            weights = ref Unsafe.Add(ref weights, 2 * outputs);
        }

        if (k < inputs)
        {
            Vector<float> d = new(Unsafe.Add(ref x, k));
            sum0 = PortableLanes.MultiplyAdd(sum0, d, PortableLanes.Load(ref weights, 0));
            if (vectors > 1) { sum1 = PortableLanes.MultiplyAdd(sum1, d, PortableLanes.Load(ref weights, lanes)); }
            if (vectors > 2) { sum2 = PortableLanes.MultiplyAdd(sum2, d, PortableLanes.Load(ref weights, 2 * lanes)); }
            if (vectors > 3) { sum3 = PortableLanes.MultiplyAdd(sum3, d, PortableLanes.Load(ref weights, 3 * lanes)); }
        }

        PortableLanes.Store(TActivation.ApplyInTile(sum0 + odd0), ref a, 0);
        if (vectors > 1) { PortableLanes.Store(TActivation.ApplyInTile(sum1 + odd1), ref a, lanes); }
        if (vectors > 2) { PortableLanes.Store(TActivation.ApplyInTile(sum2 + odd2), ref a, 2 * lanes); }
        if (vectors > 3) { PortableLanes.Store(TActivation.ApplyInTile(sum3 + odd3), ref a, 3 * lanes); }
    }
}
