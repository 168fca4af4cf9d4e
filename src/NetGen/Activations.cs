using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NetGen;

/// <summary>
/// Scalar activations that generated networks call where the expression is more than one operation.
/// Each inlines into the generated layer.
/// </summary>
public static class Activations
{
    /// <summary>The slope of <see cref="LeakyReLU(float)"/> for negative inputs, as PyTorch's default.</summary>
    public const float LeakySlope = 0.01f;

    /// <summary>1 / (1 + e^−z); saturates to exactly 0 or 1 instead of overflowing.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sigmoid(float z) => 1f / (1f + MathF.Exp(-z));

    /// <summary>z for z &gt; 0, else <see cref="LeakySlope"/>·z.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float LeakyReLU(float z) => z > 0f ? z : LeakySlope * z;

    /// <summary>max(z, 0) in every lane; a NaN lane stays NaN, as with <see cref="MathF.Max(float, float)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> ReLU(Vector<float> z) =>
        Vector.ConditionalSelect(Vector.LessThan(z, Vector<float>.Zero), Vector<float>.Zero, z);

    /// <summary><see cref="LeakyReLU(float)"/> in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> LeakyReLU(Vector<float> z) =>
        Vector.ConditionalSelect(Vector.GreaterThan(z, Vector<float>.Zero), z, z * new Vector<float>(LeakySlope));

    /// <summary><see cref="ReLU(Vector{float})"/> for the 16-lane tiles of batched passes on AVX-512 hardware.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> ReLU(Vector512<float> z) =>
        Vector512.ConditionalSelect(Vector512.LessThan(z, Vector512<float>.Zero), Vector512<float>.Zero, z);

    /// <summary><see cref="LeakyReLU(Vector{float})"/> for the 16-lane tiles of batched passes on AVX-512 hardware.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LeakyReLU(Vector512<float> z) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(z, Vector512<float>.Zero), z, z * Vector512.Create(LeakySlope));
}
