using System;
using System.Collections.Generic;

namespace NetGen;

/// <summary>
/// How many threads a training step of the sample split can use, decided from the work in a step: the rows, and what
/// one row costs against the gradient that every chunk of rows adds to the reduction. The batch is cut into one chunk of
/// rows per worker.
/// </summary>
/// <remarks>
/// Each chunk is one task of the batch round with its own gradients: any worker may take it, and the reduction sums the
/// chunks in order, so the result does not depend on which thread ran what. Cutting the batch finer than one chunk per
/// worker, so that idle workers could share a late one's rows, was measured on the 2-core machine: two chunks per worker
/// left the idle W1 epoch within 8% and made it up to 35% slower beside a busy process, where
/// <see cref="WorkerCountTuner"/> does that job instead.
/// </remarks>
internal static class RowChunks
{
    // A chunk's rows cost at least this many multiply-adds per parameter, since each chunk adds passes over every
    // parameter to the step: its forward weights, its gradient buffer cleared and filled, and its buffer read in the
    // reduction. One extra W1 chunk measured about 75 µs on the development machine, the forward pass of some 20 rows,
    // so this undercounts (docs/performance.md, "Many cores and a busy machine"); at 8, W1's batch of 64 may still
    // split over 8 threads, which on the 16-core Xeon ran faster than 4.
    private const int MultiplyAddsPerParameter = 8;

    /// <summary>
    /// The fewest rows worth a chunk of their own for <paramref name="layers"/>: enough that their forward pass costs
    /// <see cref="MultiplyAddsPerParameter"/> multiply-adds per parameter, and at least two.
    /// </summary>
    public static int MinimumRows(IReadOnlyList<LayerInfo> layers, int parameterCount)
    {
        long perRow = Math.Max(1, MultiplyAddsPerRow(layers));
        long rows = ((long)parameterCount * MultiplyAddsPerParameter + perRow - 1) / perRow;
        return (int)Math.Clamp(rows, 2, int.MaxValue);
    }

    /// <summary>
    /// The threads a step uses: the <paramref name="requested"/> count where the user gave one (no more than there are
    /// rows), else no more than the processors and no more than the chunks the batch is worth.
    /// </summary>
    public static int Workers(int? requested, int processors, int batchSize, int minimumRows) =>
        requested is int threads
            ? Math.Min(threads, batchSize)
            : Math.Clamp(batchSize / minimumRows, 1, processors);

    /// <summary>The multiply-adds of one row's forward pass, counting a pooling window's reads and a dropout's as one each.</summary>
    public static long MultiplyAddsPerRow(IReadOnlyList<LayerInfo> layers)
    {
        long total = 0;
        foreach (LayerInfo layer in layers)
        {
            long outputs = layer.OutputShape.Length;
            total += layer.Kind switch
            {
                LayerKind.Dense => layer.ParameterCount,
                LayerKind.Conv2D => (long)(layer.ParameterCount - layer.OutputShape.Channels) / layer.OutputShape.Channels * outputs,
                LayerKind.MaxPool2D or LayerKind.AvgPool2D => outputs * layer.KernelSize * layer.KernelSize,
                _ => outputs,
            };
        }

        return total;
    }
}
