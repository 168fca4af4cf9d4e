using System;
using System.Collections.Generic;

namespace NetGen;

/// <summary>
/// How many threads a training step of the sample split can use, and how many chunks of rows it cuts each mini-batch
/// into, decided from the work in a step: the rows, and what one row costs against the gradient that every chunk adds to
/// the reduction.
/// </summary>
/// <remarks>
/// Each chunk is one task of the batch round with its own gradients: any worker may take it, and the reduction sums the
/// chunks in order, so the result does not depend on which thread ran what. Cutting a worker's share in two lets the
/// others finish a share whose thread the operating system has descheduled, which is what keeps a step from waiting on
/// a busy machine; every chunk costs a pass over all the parameters in the reduction, which is what bounds the cut.
/// </remarks>
internal static class RowChunks
{
    /// <summary>Chunks per worker, so that an idle worker can take part of a late one's share.</summary>
    public const int PerWorker = 1;

    // A chunk's rows cost at least this many multiply-adds per parameter: the chunk's gradient adds a clear and a read of
    // every parameter to the step, a memory pass about as slow as this many vector multiply-adds.
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

    /// <summary>The chunks a batch of <paramref name="batchSize"/> rows is cut into for <paramref name="workers"/> threads.</summary>
    public static int Count(int workers, int batchSize, int minimumRows)
    {
        if (workers == 1)
        {
            return 1;
        }

        int worthCutting = Math.Min(workers * PerWorker, batchSize / minimumRows);
        return Math.Min(batchSize, Math.Max(workers, worthCutting));
    }

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
