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

    /// <summary>
    /// Counts, for every pair (actual class, predicted class), the samples of <paramref name="data"/> the network puts
    /// there: entry [actual, predicted]. Runs <see cref="INetwork.Forward"/> on every sample.
    /// </summary>
    public static int[,] ConfusionMatrix<TNetwork>(TNetwork network, Dataset data)
        where TNetwork : INetwork
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        int classes = network.OutputSize;
        var counts = new int[classes, classes];
        var output = new float[classes];
        for (int i = 0; i < data.Count; i++)
        {
            network.Forward(data.Input(i), output);
            counts[ArgMax(data.Target(i)), ArgMax(output)]++;
        }

        return counts;
    }
}
