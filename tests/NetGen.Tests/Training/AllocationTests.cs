using System;
using System.Collections.Generic;
using NetGen.Tests.Networks;
using Xunit;

namespace NetGen.Tests.Training;

/// <summary>Runs alone, so that the worker threads it measures do nothing else.</summary>
[CollectionDefinition(nameof(AllocationTests), DisableParallelization = true)]
public sealed class AllocationCollection
{
}

[Collection(nameof(AllocationTests))]
public class AllocationTests
{
    [Theory]
    [InlineData(1, ThreadSplit.Samples)]
    [InlineData(2, ThreadSplit.Samples)]
    [InlineData(2, ThreadSplit.Outputs)]
    public void Training_steps_allocate_nothing_on_any_thread(int threads, ThreadSplit split)
    {
        var network = new MixedPathsCe();
        Dataset data = TrainerLifecycleTests.RandomClassification(network, 64, seed: 5);
        using var trainer = new Trainer<MixedPathsCe>(network, new Adam(), new TrainingOptions
        {
            BatchSize = 32,
            Threads = threads,
            Split = split,
            ClipNorm = 1f,
            L2 = 1e-4f,
        });
        int[] batch = new int[32];
        for (int i = 0; i < batch.Length; i++)
        {
            batch[i] = i * 2;
        }

        for (int i = 0; i < 50; i++)
        {
            trainer.TrainBatch(data, batch);
        }

        // One-time runtime work (tier-up of shared generic code on a worker, say) may allocate a few bytes once; an
        // allocation per step would put at least 1,000 bytes into every window. So: some window must be entirely clean.
        var windows = new List<(long Calling, long Workers)>();
        for (int window = 0; window < 5 && (windows.Count == 0 || windows[^1] != (0, 0)); window++)
        {
            long callingThread = GC.GetAllocatedBytesForCurrentThread();
            long workers = trainer.WorkerAllocatedBytes;
            for (int i = 0; i < 1_000; i++)
            {
                trainer.TrainBatch(data, batch);
            }

            windows.Add((GC.GetAllocatedBytesForCurrentThread() - callingThread, trainer.WorkerAllocatedBytes - workers));
        }

        Assert.True(windows[^1] == (0, 0), $"bytes per 1,000 steps (calling thread, workers): {string.Join(", ", windows)}");
    }
}
