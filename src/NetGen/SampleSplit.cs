using System;

namespace NetGen;

/// <summary>
/// <see cref="ThreadSplit.Samples"/>: the batch's rows are cut into chunks (<see cref="RowChunks"/>), and each chunk is a
/// task that runs the whole network on its rows in its own workspace, with its own gradients; any free worker takes the
/// next chunk, and the reduction sums the chunks' gradients in chunk order.
/// </summary>
/// <typeparam name="TNetwork">The generated network class.</typeparam>
internal sealed class SampleSplit<TNetwork> : BatchSplit<TNetwork>
    where TNetwork : INetwork
{
    private readonly BatchWorkspace[] _workspaces;

    public SampleSplit(TNetwork network, int batchSize, int workers, int chunks)
        : base(network, batchSize, workers, chunks)
    {
        _workspaces = new BatchWorkspace[chunks];
        for (int i = 0; i < chunks; i++)
        {
            _workspaces[i] = network.CreateWorkspace((batchSize + chunks - 1) / chunks);
        }

        Shares = WorkShares.BySamples(network.ParameterCount, ChunkLength);
    }

    public override ReadOnlySpan<BatchWorkspace> Workspaces => _workspaces;

    public override WorkShares Shares { get; }

    public override bool Pinned => false;

    /// <summary>Chunk <paramref name="task"/>'s rows: batched forward, then loss (and gradients).</summary>
    public override void RunForwardAndBackward(int task)
    {
        (int start, int end) = RowsOf(task);
        BatchWorkspace workspace = _workspaces[task];
        if (ComputeGradients)
        {
            workspace.GradientSpan.Clear();
        }

        ClearResults(task);
        if (start == end)
        {
            return;
        }

        // Each chunk copies its own rows, straight into its workspace: reading scattered samples from a large dataset
        // is slow enough to share, and a second copy would cost as much again.
        // Each sample's dropout mask depends on its row of the whole batch, not on which chunk or worker runs it.
        workspace.DropoutKey = DropoutKey;
        workspace.DropoutFirstRow = start;
        Span<float> inputRows = workspace.InputRows(end - start);
        Gather(start, end, inputRows);
        Network.ForwardBatch(workspace, inputRows, OutputRows(start, end));
        ReadOnlySpan<float> targets = TargetRows(start, end);
        float loss = ComputeGradients ? Network.BackwardBatch(workspace, targets) : Network.EvaluateLossBatch(workspace, targets);
        RecordResults(task, loss, start, end);
    }
}
