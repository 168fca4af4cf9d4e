using System;

namespace NetGen;

/// <summary>Architecture-independent measures of a prediction.</summary>
public static class Metrics
{
    /// <summary>The index of the largest value (the first on ties).</summary>
    public static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }

    /// <summary>
    /// Whether <paramref name="output"/> predicts the class of <paramref name="target"/>: the same arg max for several
    /// outputs, the same side of 0.5 for a single output.
    /// </summary>
    public static bool IsCorrect(ReadOnlySpan<float> output, ReadOnlySpan<float> target) =>
        output.Length == 1
            ? output[0] >= 0.5f == target[0] >= 0.5f
            : ArgMax(output) == ArgMax(target);
}
