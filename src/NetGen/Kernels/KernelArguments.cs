using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace NetGen.Kernels;

/// <summary>
/// The kernels' argument checks: a few compares per call, the throws kept out of line so the entry points stay small.
/// Sizes are multiplied in 64 bits, so no product can wrap past a check.
/// </summary>
internal static class KernelArguments
{
    /// <summary>Throws unless <paramref name="size"/> ≥ 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Size(int size, string name)
    {
        if (size < 0)
        {
            ThrowNegative(name, size);
        }
    }

    /// <summary>Throws unless the span <paramref name="name"/> holds at least <paramref name="needed"/> floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Length(int length, long needed, string name)
    {
        if (length < needed)
        {
            ThrowTooShort(name, needed, length);
        }
    }

    /// <summary>Throws unless 0 ≤ <paramref name="first"/> ≤ <paramref name="end"/> ≤ <paramref name="size"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Range(int first, int end, int size, string firstName, string endName)
    {
        if ((uint)first > (uint)end)
        {
            ThrowRange(firstName, first, end, size);
        }

        if ((uint)end > (uint)size)
        {
            ThrowRange(endName, first, end, size);
        }
    }

    [DoesNotReturn]
    private static void ThrowNegative(string name, int size) =>
        throw new ArgumentException($"'{name}' must not be negative, but it is {size}.", name);

    [DoesNotReturn]
    private static void ThrowTooShort(string name, long needed, int length) =>
        throw new ArgumentException($"'{name}' must hold at least {needed} floats, but it holds {length}.", name);

    [DoesNotReturn]
    private static void ThrowRange(string name, int first, int end, int size) =>
        throw new ArgumentException($"The range [{first}, {end}) must lie within [0, {size}).", name);
}
