using System;
using Xunit.Sdk;

namespace NetGen.Tests;

/// <summary>Compares tensors as llm.c's check_tensor does: elementwise, reporting the largest difference.</summary>
internal static class Numeric
{
    /// <summary>Passes when every |actual − expected| ≤ tolerance·max(1, |expected|).</summary>
    public static void AssertClose(ReadOnlySpan<double> expected, ReadOnlySpan<float> actual, double tolerance, string what)
    {
        if (expected.Length != actual.Length)
        {
            throw new XunitException($"{what}: expected {expected.Length} values, got {actual.Length}");
        }

        double worst = 0;
        int worstIndex = -1;
        for (int i = 0; i < expected.Length; i++)
        {
            double difference = Math.Abs(actual[i] - expected[i]) / Math.Max(1, Math.Abs(expected[i]));
            if (!(difference <= worst))
            {
                worst = difference;
                worstIndex = i;
            }
        }

        if (!(worst <= tolerance))
        {
            throw new XunitException(
                $"{what}: max scaled difference {worst:E3} at [{worstIndex}] (expected {expected[worstIndex]:R}, actual {actual[worstIndex]:R}) exceeds {tolerance:E1}");
        }
    }
}
