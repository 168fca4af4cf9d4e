using System;

namespace NetGen;

/// <summary>
/// <see cref="ThreadSplit.Samples"/>: each worker runs the whole network on its contiguous slice of the batch's rows,
/// in its own workspace, with its own gradients; the reduction sums them in worker order.
/// </summary>
/// <typeparam name="TNetwork">The generated network class.</typeparam>
internal sealed class SampleSplit<TNetwork> : BatchSplit<TNetwork>
    where TNetwork : INetwork
{
    private readonly BatchWorkspace[] _workspaces;

    public SampleSplit(TNetwork network, int batchSize, int workers)
        : base(network, batchSize, workers)
    {
        _workspaces = new BatchWorkspace[workers];
        for (int i = 0; i < workers; i++)
        {
            _workspaces[i] = network.CreateWorkspace((batchSize + workers - 1) / workers);
        }

        Shares = WorkShares.BySamples(network.ParameterCount, workers, ChunkLength);
    }

    public override ReadOnlySpan<BatchWorkspace> Workspaces => _workspaces;

    public override WorkShares Shares { get; }

    /// <summary>Worker <paramref name="worker"/>'s slice of samples: batched forward, then loss (and gradients).</summary>
    public override void RunForwardAndBackward(int worker)
    {
        (int start, int end) = RowsOf(worker);
        BatchWorkspace workspace = _workspaces[worker];
        if (ComputeGradients)
        {
            workspace.GradientSpan.Clear();
        }

        ClearResults(worker);
        if (start == end)
        {
            return;
        }

        // Each worker copies its own rows, straight into its workspace: reading scattered samples from a large dataset
        // is slow enough to share, and a second copy would cost as much again.
        // Each sample's dropout mask depends on its row of the whole batch, not on which worker runs it.
        workspace.DropoutKey = DropoutKey;
        workspace.DropoutFirstRow = start;
        Span<float> inputRows = workspace.InputRows(end - start);
        Gather(start, end, inputRows);
        Network.ForwardBatch(workspace, inputRows, OutputRows(start, end));
        ReadOnlySpan<float> targets = TargetRows(start, end);
        float loss = ComputeGradients ? Network.BackwardBatch(workspace, targets) : Network.EvaluateLossBatch(workspace, targets);
        RecordResults(worker, loss, start, end);
    }
}
