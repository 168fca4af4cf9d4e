using System.Runtime.CompilerServices;

namespace NetGen.Kernels;

/// <summary>
/// What a tile does with a finished sum: store it through an activation after adding the bias (a forward pass), add
/// it into a gradient, or store it. <c>destination</c> and <c>bias</c> point at the element (or vector) concerned.
/// </summary>
internal interface ITileEpilogue
{
    /// <summary>
    /// Where a tile's bias is: one per row at <c>Bias</c> + row (a convolution's filters, when rows are filters) if
    /// true, one per column at <c>Bias</c> + column (a Dense layer's outputs) if false. Epilogues without a bias say false.
    /// </summary>
    static abstract bool BiasPerRow { get; }

    /// <summary>The value a scalar column's sum starts from: the bias for a forward pass (as the generated tails did), else 0.</summary>
    static abstract float InitialScalar(ref float bias);

    static abstract void StoreScalar(float total, ref float destination, ref float bias);

    /// <summary>Finishes a vector <paramref name="sum"/> that started from zero; the bias, if any, is added here.</summary>
    static abstract void StoreVector<TVector, TLanes>(TVector sum, ref float destination, nint offset, ref float bias)
        where TVector : struct
        where TLanes : struct, ILanes<TVector>;
}

/// <summary>a = f(sum + b), the broadcast tiles' scalar tails starting from b instead.</summary>
internal readonly struct ForwardEpilogue<TActivation> : ITileEpilogue
    where TActivation : struct, IActivation
{
    public static bool BiasPerRow => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float InitialScalar(ref float bias) => bias;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreScalar(float total, ref float destination, ref float bias) =>
        destination = TActivation.ApplyInTile(total);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreVector<TVector, TLanes>(TVector sum, ref float destination, nint offset, ref float bias)
        where TVector : struct
        where TLanes : struct, ILanes<TVector> =>
        TLanes.Store(TLanes.ApplyInTile<TActivation>(TLanes.Add(sum, TLanes.Load(ref bias, offset))), ref destination, offset);
}

/// <summary>The dot tiles' forward store: a = f(sum + b), b added after the sum.</summary>
internal readonly struct DotForwardEpilogue<TActivation> : ITileEpilogue
    where TActivation : struct, IActivation
{
    public static bool BiasPerRow => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float InitialScalar(ref float bias) => 0f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreScalar(float total, ref float destination, ref float bias) =>
        destination = TActivation.ApplyInTile(total + bias);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreVector<TVector, TLanes>(TVector sum, ref float destination, nint offset, ref float bias)
        where TVector : struct
        where TLanes : struct, ILanes<TVector> =>
        TLanes.Store(TLanes.ApplyInTile<TActivation>(TLanes.Add(sum, TLanes.Load(ref bias, offset))), ref destination, offset);
}

/// <summary>g += sum: gradients accumulate over calls.</summary>
internal readonly struct AddEpilogue : ITileEpilogue
{
    public static bool BiasPerRow => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float InitialScalar(ref float bias) => 0f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreScalar(float total, ref float destination, ref float bias) => destination += total;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreVector<TVector, TLanes>(TVector sum, ref float destination, nint offset, ref float bias)
        where TVector : struct
        where TLanes : struct, ILanes<TVector> =>
        TLanes.Store(TLanes.Add(TLanes.Load(ref destination, offset), sum), ref destination, offset);
}

/// <summary>d = sum.</summary>
internal readonly struct StoreEpilogue : ITileEpilogue
{
    public static bool BiasPerRow => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float InitialScalar(ref float bias) => 0f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreScalar(float total, ref float destination, ref float bias) => destination = total;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreVector<TVector, TLanes>(TVector sum, ref float destination, nint offset, ref float bias)
        where TVector : struct
        where TLanes : struct, ILanes<TVector> =>
        TLanes.Store(sum, ref destination, offset);
}

/// <summary>
/// a = f(sum + b) with one bias per row: the convolution's forward product, whose rows are filters and whose columns
/// are output pixels. Every sum, vector or scalar, starts from zero and gets its filter's bias at the end.
/// </summary>
internal readonly struct FilterForwardEpilogue<TActivation> : ITileEpilogue
    where TActivation : struct, IActivation
{
    public static bool BiasPerRow => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float InitialScalar(ref float bias) => 0f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreScalar(float total, ref float destination, ref float bias) =>
        destination = TActivation.ApplyInTile(total + bias);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreVector<TVector, TLanes>(TVector sum, ref float destination, nint offset, ref float bias)
        where TVector : struct
        where TLanes : struct, ILanes<TVector> =>
        TLanes.Store(TLanes.ApplyInTile<TActivation>(TLanes.Add(sum, TLanes.Broadcast(bias))), ref destination, offset);
}
