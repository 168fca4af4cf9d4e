using System;

namespace NetGen;

/// <summary>
/// A small, fast pseudo-random generator (SplitMix64) whose sequence depends only on its seed, on every runtime and
/// platform, so that a seed reproduces initialization and shuffling bit for bit. Not for cryptography.
/// </summary>
public struct SeededRandom
{
    private ulong _state;

    /// <summary>Starts the sequence for <paramref name="seed"/>.</summary>
    public SeededRandom(long seed) => _state = unchecked((ulong)seed);

    /// <summary>The next 64 uniformly distributed bits.</summary>
    public ulong NextUInt64()
    {
        ulong z = unchecked(_state += 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }

    /// <summary>A float uniformly distributed in [0, 1), from the top 24 bits.</summary>
    public float NextSingle() => (NextUInt64() >> 40) * (1.0f / (1 << 24));

    /// <summary>A float uniformly distributed in [−<paramref name="bound"/>, <paramref name="bound"/>).</summary>
    public float NextSymmetric(float bound) => (2f * NextSingle() - 1f) * bound;

    /// <summary>An integer uniformly distributed in [0, <paramref name="exclusiveMax"/>), without modulo bias.</summary>
    public int NextInt32(int exclusiveMax)
    {
        if (exclusiveMax <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(exclusiveMax), exclusiveMax, "The upper bound must be positive.");
        }

        // Lemire's multiply-shift with rejection of the short band.
        ulong range = (ulong)exclusiveMax;
        ulong threshold = (0UL - range) % range;
        while (true)
        {
            ulong bits = NextUInt64() >> 32;
            ulong product = bits * range;
            if ((uint)product >= threshold)
            {
                return (int)(product >> 32);
            }
        }
    }

    /// <summary>Fisher–Yates shuffle of <paramref name="items"/>.</summary>
    public void Shuffle(Span<int> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt32(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
