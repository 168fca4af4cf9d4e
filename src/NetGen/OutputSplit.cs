using System;

namespace NetGen;

/// <summary>
/// <see cref="ThreadSplit.Outputs"/>: the workers share one workspace and each computes its own outputs of every layer
/// for all the samples, with the weights and biases behind them, meeting at a <see cref="SpinBarrier"/> wherever the
/// next pass reads what the others wrote. No gradient is summed across workers.
/// </summary>
/// <typeparam name="TNetwork">The generated network class.</typeparam>
internal sealed class OutputSplit<TNetwork> : BatchSplit<TNetwork>
    where TNetwork : INetwork
{
    // The one workspace, in an array so that Workspaces can hand it out as a span.
    private readonly BatchWorkspace[] _workspace;
    private readonly SpinBarrier _barrier;

    public OutputSplit(TNetwork network, int batchSize, int workers)
        : base(network, batchSize, workers, taskCount: workers)
    {
        _workspace = new[] { network.CreateWorkspace(batchSize) };
        _barrier = new SpinBarrier(workers);
        Shares = WorkShares.ByOutputs(network.Layers, workers, ChunkLength);
    }

    public override ReadOnlySpan<BatchWorkspace> Workspaces => _workspace;

    public override WorkShares Shares { get; }

    /// <summary>The workers meet at a barrier, so each must run its own share at once.</summary>
    public override bool Pinned => true;

    public override void Begin(Dataset data, int count, bool computeGradients)
    {
        base.Begin(data, count, computeGradients);
        _barrier.Reset();
        _workspace[0].Count = count;
        _workspace[0].DropoutKey = DropoutKey;
        _workspace[0].DropoutFirstRow = 0;
    }

    /// <summary>
    /// Worker <paramref name="task"/>'s share: its rows of the inputs, its outputs of every layer for all the samples,
    /// the loss of its rows, then its weight and bias gradients and its share of each previous δ. A worker that fails
    /// abandons the barrier, so that the others return instead of waiting for it.
    /// </summary>
    public override void RunForwardAndBackward(int task)
    {
        int worker = task;
        try
        {
            RunShare(worker);
        }
        catch
        {
            _barrier.Abandon();
            throw;
        }
    }

    private void RunShare(int worker)
    {
        BatchWorkspace workspace = _workspace[0];
        (int firstRow, int endRow) = RowsOf(worker);
        if (ComputeGradients)
        {
            // Only this worker writes these gradients, so only it clears them.
            foreach (ParameterRange range in Shares.ParametersOf(worker))
            {
                workspace.GradientSpan.Slice(range.Start, range.Length).Clear();
            }
        }

        ClearResults(worker);
        int count = Count;
        Gather(firstRow, endRow, workspace.InputRows(count).Slice(firstRow * Network.InputSize));
        int layers = Network.Layers.Count;
        for (int layer = 0; layer < layers; layer++)
        {
            // Each layer reads all of the previous one's outputs (or all the inputs).
            if (!_barrier.SignalAndWait())
            {
                return;
            }

            (int first, int end) = Shares.OutputsOf(worker, layer);
            if (first < end)
            {
                Network.ForwardLayerBatch(workspace, layer, first, end);
            }
        }

        if (!_barrier.SignalAndWait())
        {
            return;
        }

        if (firstRow < endRow)
        {
            float loss = Network.OutputLossBatch(workspace, TargetRows(0, count), OutputRows(0, count), firstRow, endRow);
            RecordResults(worker, loss, firstRow, endRow);
        }

        // The output layer's δ was written by rows; its gradients are taken by columns.
        if (!ComputeGradients || !_barrier.SignalAndWait())
        {
            return;
        }

        for (int layer = layers - 1; layer >= 0; layer--)
        {
            (int first, int end) = Shares.OutputsOf(worker, layer);
            if (first < end)
            {
                Network.WeightGradientsBatch(workspace, layer, first, end);
            }

            if (layer == 0)
            {
                break;
            }

            // This worker's share of the previous layer's δ reads all of this layer's δ, complete since the last
            // meeting; the next layer down then needs all of the δ written here.
            (int firstInput, int endInput) = Shares.OutputsOf(worker, layer - 1);
            if (firstInput < endInput)
            {
                Network.InputDeltaBatch(workspace, layer, firstInput, endInput);
            }

            if (layer > 1 && !_barrier.SignalAndWait())
            {
                return;
            }
        }
    }
}
