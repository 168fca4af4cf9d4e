using System;
using System.Collections.Generic;

namespace NetGen;

/// <summary>A run of consecutive parameters, [<see cref="Start"/>, Start + <see cref="Length"/>).</summary>
internal readonly record struct ParameterRange(int Start, int Length);

/// <summary>
/// The tasks of a training step's reduction and update rounds, each a list of parameter ranges whose gradients it
/// reduces and whose optimizer update it runs, and, for <see cref="ThreadSplit.Outputs"/>, each worker's outputs of every
/// layer. Computed once per trainer, so a step allocates nothing.
/// </summary>
internal sealed class WorkShares
{
    // Shares are cut at multiples of 16 floats, so that every share starts on a whole vector at every Vector<float>
    // width, and no 64-byte cache line of a contiguous range (or of a layer whose width is a multiple of 16) is
    // written by two threads.
    private const int Granule = 16;

    private readonly ParameterRange[][] _parameters;
    private readonly (int First, int End)[][] _outputs;

    private WorkShares(ParameterRange[][] parameters, (int First, int End)[][] outputs, bool pinned)
    {
        _parameters = parameters;
        _outputs = outputs;
        Pinned = pinned;
    }

    /// <summary>The tasks of a reduction or update round.</summary>
    public int TaskCount => _parameters.Length;

    /// <summary>
    /// Whether task i is worker i's share and runs on worker i (<see cref="ThreadSplit.Outputs"/>, where a worker keeps
    /// its parameters in its own cache), rather than on whichever worker takes it.
    /// </summary>
    public bool Pinned { get; }

    /// <summary>The ranges of task <paramref name="task"/>, none longer than the chunk length given at creation.</summary>
    public ReadOnlySpan<ParameterRange> ParametersOf(int task) => _parameters[task];

    /// <summary>Worker <paramref name="worker"/>'s outputs of layer <paramref name="layer"/> (empty for a layer too narrow to share).</summary>
    public (int First, int End) OutputsOf(int worker, int layer) => _outputs[worker][layer];

    /// <summary>
    /// For <see cref="ThreadSplit.Samples"/>: one task per chunk of the parameters, taken by whichever worker is free, so
    /// the tasks and the order their results are summed in do not depend on the thread count.
    /// </summary>
    public static WorkShares BySamples(int parameterCount, int chunkLength)
    {
        var ranges = new List<ParameterRange>();
        AddChunked(ranges, 0, parameterCount, chunkLength);
        var parameters = new ParameterRange[ranges.Count][];
        for (int task = 0; task < parameters.Length; task++)
        {
            parameters[task] = [ranges[task]];
        }

        return new WorkShares(parameters, Array.Empty<(int, int)[]>(), pinned: false);
    }

    /// <summary>
    /// Consecutive ranges of every layer's outputs, one per worker, with the parameters that compute them, for
    /// <see cref="ThreadSplit.Outputs"/>.
    /// </summary>
    public static WorkShares ByOutputs(IReadOnlyList<LayerInfo> layers, int workers, int chunkLength)
    {
        var parameters = new ParameterRange[workers][];
        var outputs = new (int First, int End)[workers][];
        for (int worker = 0; worker < workers; worker++)
        {
            outputs[worker] = new (int, int)[layers.Count];
            var owned = new List<ParameterRange>();
            for (int index = 0; index < layers.Count; index++)
            {
                LayerInfo layer = layers[index];
                int outputCount = layer.OutputShape.Length, granule = ShareGranule(layers, index);
                int first = Cut(outputCount, worker, workers, granule), end = Cut(outputCount, worker + 1, workers, granule);
                outputs[worker][index] = (first, end);
                if (first < end)
                {
                    AddParametersOfOutputs(owned, layer, first, end);
                }
            }

            var ranges = new List<ParameterRange>();
            foreach (ParameterRange range in owned)
            {
                AddChunked(ranges, range.Start, range.Length, chunkLength);
            }

            parameters[worker] = ranges.ToArray();
        }

        return new WorkShares(parameters, outputs, pinned: true);
    }

    /// <summary>
    /// Adds the parameters that compute outputs [<paramref name="first"/>, <paramref name="end"/>) of
    /// <paramref name="layer"/>: nothing for a layer without parameters; for a Dense layer, a column block of its
    /// weights and the matching biases.
    /// </summary>
    private static void AddParametersOfOutputs(List<ParameterRange> owned, LayerInfo layer, int first, int end)
    {
        if (layer.Parameters.Count == 0)
        {
            return;
        }

        if (layer.Kind == LayerKind.Conv2D)
        {
            // The weights are [filters, C, K, K] and the shares whole channels: a share of the filters is one run.
            ParameterBlock filterWeights = layer.Parameters[0], filterBiases = layer.Parameters[1];
            int plane = layer.OutputShape.Height * layer.OutputShape.Width, patch = filterWeights.Length / filterWeights.Shape[0];
            Append(owned, filterWeights.Offset + first / plane * patch, (end - first) / plane * patch);
            Append(owned, filterBiases.Offset + first / plane, (end - first) / plane);
            return;
        }

        if (layer.Kind != LayerKind.Dense)
        {
            throw new NotSupportedException($"Splitting by outputs does not know which parameters compute a {layer.Kind} layer's outputs.");
        }

        // The weights are [inputs × outputs]: row `input` holds that input's weight to every output, so a share of the
        // outputs is one run per row, which merges into one run when the worker has the whole layer.
        ParameterBlock weights = layer.Parameters[0], biases = layer.Parameters[1];
        int inputs = weights.Shape[0], outputCount = weights.Shape[1];
        for (int input = 0; input < inputs; input++)
        {
            Append(owned, weights.Offset + input * outputCount + first, end - first);
        }

        Append(owned, biases.Offset + first, end - first);
    }

    /// <summary>Where worker <paramref name="worker"/>'s share of <paramref name="size"/> items starts: a multiple of 16, or the end.</summary>
    private static int Cut(int size, int worker, int workers, int granule)
    {
        if (worker == workers)
        {
            return size;
        }

        long even = (long)size * worker / workers;
        return (int)Math.Min(size, (even + granule / 2) / granule * granule);
    }

    /// <summary>
    /// What layer <paramref name="index"/>'s output shares are cut in multiples of: <see cref="Granule"/>, so that every
    /// share starts on a whole vector and a split step gives the single-thread bits; and whole channels too where the
    /// layer, or the layer that reads it, is a convolution or a pool (their split passes compute whole channels).
    /// </summary>
    private static int ShareGranule(IReadOnlyList<LayerInfo> layers, int index)
    {
        static bool ComputesChannels(LayerInfo layer) => layer.Kind is LayerKind.Conv2D or LayerKind.MaxPool2D or LayerKind.AvgPool2D;

        bool channels = ComputesChannels(layers[index]) || (index + 1 < layers.Count && ComputesChannels(layers[index + 1]));
        TensorShape output = layers[index].OutputShape;
        int plane = output.Height * output.Width;
        return channels ? plane / GreatestCommonDivisor(plane, Granule) * Granule : Granule;
    }

    private static int GreatestCommonDivisor(int a, int b) => b == 0 ? a : GreatestCommonDivisor(b, a % b);

    /// <summary>Adds a run, merged into the last one when it continues it.</summary>
    private static void Append(List<ParameterRange> ranges, int start, int length)
    {
        if (ranges.Count > 0 && ranges[^1].Start + ranges[^1].Length == start)
        {
            ranges[^1] = ranges[^1] with { Length = ranges[^1].Length + length };
            return;
        }

        ranges.Add(new ParameterRange(start, length));
    }

    private static void AddChunked(List<ParameterRange> ranges, int start, int length, int chunkLength)
    {
        for (int chunk = start; chunk < start + length; chunk += chunkLength)
        {
            ranges.Add(new ParameterRange(chunk, Math.Min(chunkLength, start + length - chunk)));
        }
    }
}
