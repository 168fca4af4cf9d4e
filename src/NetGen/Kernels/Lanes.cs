using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace NetGen.Kernels;

/// <summary>
/// The vector operations a register tile is written in, as static members of a struct, so that one generic tile
/// compiles to <c>Vector&lt;float&gt;</c> code (<see cref="PortableLanes"/>) and to <c>Vector512&lt;float&gt;</c> code
/// (<see cref="WideLanes"/>), each lane running the same multiply-adds in the same order in either.
/// </summary>
internal interface ILanes<TVector>
    where TVector : struct
{
    /// <summary>The lane count: a constant to the JIT.</summary>
    static abstract int Count { get; }

    static abstract TVector Zero { get; }

    /// <summary>The vector at <paramref name="offset"/> elements from <paramref name="source"/>.</summary>
    static abstract TVector Load(ref float source, nint offset);

    static abstract void Store(TVector value, ref float destination, nint offset);

    /// <summary><paramref name="value"/> in every lane.</summary>
    static abstract TVector Broadcast(float value);

    /// <summary>
    /// accumulator + left·right, fused into one rounding where the hardware fuses and the framework has it (.NET 9 and
    /// later), as the generated tiles did; a multiply and an add elsewhere, never a fused one computed in software.
    /// </summary>
    static abstract TVector MultiplyAdd(TVector accumulator, TVector left, TVector right);

    static abstract TVector Add(TVector left, TVector right);

    /// <summary><see cref="IActivation.ApplyInTile(float)"/> in every lane.</summary>
    static abstract TVector ApplyInTile<TActivation>(TVector z)
        where TActivation : struct, IActivation;
}

/// <summary>What the kernels ask of the hardware, as JIT-time constants.</summary>
internal static class Hardware
{
    /// <summary>
    /// True on hardware with 32 vector registers (AVX-512, Arm64): tiles of more than eight accumulators run only there,
    /// since AVX2's 16 registers spilled them to the stack in the inner loop.
    /// </summary>
    public static bool HasThirtyTwoVectorRegisters
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Avx512F.IsSupported || AdvSimd.Arm64.IsSupported;
    }

    /// <summary>
    /// True where 16-lane tiles run before the <c>Vector&lt;float&gt;</c> ones: AVX-512 is accelerated but
    /// <c>Vector&lt;float&gt;</c> keeps fewer lanes (its default 8).
    /// </summary>
    public static bool HasWideTiles
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector512.IsHardwareAccelerated && Vector<float>.Count < WideLanes.Lanes;
    }
}

/// <summary><c>Vector&lt;float&gt;</c>, whose width the runtime fixes at start-up (4, 8 or 16 lanes).</summary>
internal readonly struct PortableLanes : ILanes<Vector<float>>
{
    public static int Count => Vector<float>.Count;

    public static Vector<float> Zero => Vector<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Load(ref float source, nint offset) => Vector.LoadUnsafe(ref Unsafe.Add(ref source, offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector<float> value, ref float destination, nint offset) =>
        Vector.StoreUnsafe(value, ref Unsafe.Add(ref destination, offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Broadcast(float value) => new(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> MultiplyAdd(Vector<float> accumulator, Vector<float> left, Vector<float> right) =>
#if NET9_0_OR_GREATER
        Vector.MultiplyAddEstimate(left, right, accumulator);
#else
        accumulator + left * right;
#endif

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Add(Vector<float> left, Vector<float> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> ApplyInTile<TActivation>(Vector<float> z)
        where TActivation : struct, IActivation => TActivation.ApplyInTile(z);
}

/// <summary><c>Vector512&lt;float&gt;</c>: 16 lanes, used only where <see cref="Hardware.HasWideTiles"/>.</summary>
internal readonly struct WideLanes : ILanes<Vector512<float>>
{
    /// <summary>The lane count as a C# constant.</summary>
    public const int Lanes = 16;

    public static int Count => Lanes;

    public static Vector512<float> Zero => Vector512<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(ref float source, nint offset) => Vector512.LoadUnsafe(ref Unsafe.Add(ref source, offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> value, ref float destination, nint offset) =>
        Vector512.StoreUnsafe(value, ref Unsafe.Add(ref destination, offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Broadcast(float value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAdd(Vector512<float> accumulator, Vector512<float> left, Vector512<float> right) =>
#if NET9_0_OR_GREATER
        Vector512.FusedMultiplyAdd(left, right, accumulator);
#else
        accumulator + left * right;
#endif

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Add(Vector512<float> left, Vector512<float> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> ApplyInTile<TActivation>(Vector512<float> z)
        where TActivation : struct, IActivation => TActivation.ApplyInTile(z);
}
