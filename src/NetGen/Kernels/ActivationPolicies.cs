using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NetGen.Kernels;

// The expressions below are those the generator writes (generator/NetGen.Generator/ActivationCode.cs), so that a
// kernel and the code it replaces agree bit for bit.

/// <summary>f(z) = z; f' = 1.</summary>
public readonly struct IdentityActivation : IActivation
{
    /// <inheritdoc/>
    public static bool IsDeferred => false;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ApplyInTile(float z) => z;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> ApplyInTile(Vector<float> z) => z;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> ApplyInTile(Vector512<float> z) => z;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ApplyAfterTiles(Span<float> values)
    {
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float TimesDerivative(float gradient, float activation) => gradient;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> TimesDerivative(Vector<float> gradient, Vector<float> activation) => gradient;
}

/// <summary>f(z) = max(z, 0), a NaN staying NaN; f' = 1 where a &gt; 0, else 0.</summary>
public readonly struct ReLUActivation : IActivation
{
    /// <inheritdoc/>
    public static bool IsDeferred => false;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ApplyInTile(float z) => MathF.Max(z, 0f);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> ApplyInTile(Vector<float> z) => Activations.ReLU(z);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> ApplyInTile(Vector512<float> z) => Activations.ReLU(z);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ApplyAfterTiles(Span<float> values)
    {
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float TimesDerivative(float gradient, float activation) => activation > 0f ? gradient : 0f;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> TimesDerivative(Vector<float> gradient, Vector<float> activation) =>
        Vector.ConditionalSelect(Vector.GreaterThan(activation, Vector<float>.Zero), gradient, Vector<float>.Zero);
}

/// <summary>f(z) = z for z &gt; 0, else <see cref="Activations.LeakySlope"/>·z; f' = 1 where a &gt; 0, else the slope.</summary>
public readonly struct LeakyReLUActivation : IActivation
{
    /// <inheritdoc/>
    public static bool IsDeferred => false;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ApplyInTile(float z) => Activations.LeakyReLU(z);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> ApplyInTile(Vector<float> z) => Activations.LeakyReLU(z);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> ApplyInTile(Vector512<float> z) => Activations.LeakyReLU(z);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ApplyAfterTiles(Span<float> values)
    {
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float TimesDerivative(float gradient, float activation) =>
        activation > 0f ? gradient : Activations.LeakySlope * gradient;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> TimesDerivative(Vector<float> gradient, Vector<float> activation) =>
        Vector.ConditionalSelect(Vector.GreaterThan(activation, Vector<float>.Zero), gradient, gradient * Activations.LeakySlope);
}

/// <summary>f(z) = 1 / (1 + e^−z), deferred to <see cref="VectorMath.Sigmoid(Span{float})"/>; f' = a·(1 − a).</summary>
public readonly struct SigmoidActivation : IActivation
{
    /// <inheritdoc/>
    public static bool IsDeferred => true;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ApplyInTile(float z) => z;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> ApplyInTile(Vector<float> z) => z;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> ApplyInTile(Vector512<float> z) => z;

    /// <inheritdoc/>
    public static void ApplyAfterTiles(Span<float> values) => VectorMath.Sigmoid(values);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float TimesDerivative(float gradient, float activation) => gradient * activation * (1f - activation);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> TimesDerivative(Vector<float> gradient, Vector<float> activation) =>
        gradient * activation * (Vector<float>.One - activation);
}

/// <summary>f(z) = tanh z, deferred to <see cref="VectorMath.Tanh(Span{float})"/>; f' = 1 − a².</summary>
public readonly struct TanhActivation : IActivation
{
    /// <inheritdoc/>
    public static bool IsDeferred => true;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ApplyInTile(float z) => z;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> ApplyInTile(Vector<float> z) => z;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> ApplyInTile(Vector512<float> z) => z;

    /// <inheritdoc/>
    public static void ApplyAfterTiles(Span<float> values) => VectorMath.Tanh(values);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float TimesDerivative(float gradient, float activation) => gradient * (1f - activation * activation);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> TimesDerivative(Vector<float> gradient, Vector<float> activation) =>
        gradient * (Vector<float>.One - activation * activation);
}
