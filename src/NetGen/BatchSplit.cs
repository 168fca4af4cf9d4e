using System;

namespace NetGen;

/// <summary>
/// The first round of a training step (or the only round of an evaluation): how the workers share the forward and
/// backward passes of a mini-batch, as <see cref="ThreadSplit"/> chooses, in tasks. Holds the batch's rows, what each
/// task found (loss, correct predictions), the workspaces whose gradients <see cref="GradientReduction{TNetwork}"/> sums
/// and the parameter ranges of the reduction's and update's tasks. Everything is allocated once, by the trainer.
/// </summary>
/// <typeparam name="TNetwork">The generated network class.</typeparam>
internal abstract class BatchSplit<TNetwork>
    where TNetwork : INetwork
{
    // The reduction and the update make several passes over each parameter range; taking them a chunk at a time keeps
    // the chunk in L1 between passes instead of streaming every range through L2 once per pass.
    protected const int ChunkLength = 2048;

    // Each worker gathers its share of the batch's inputs into a workspace; targets and outputs are shared.
    private readonly int[] _samples;
    private readonly float[] _targets;
    private readonly float[] _outputs;
    private readonly double[] _taskLoss;
    private readonly int[] _taskCorrect;
    private Dataset? _data;

    protected BatchSplit(TNetwork network, int batchSize, int workers, int taskCount)
    {
        Network = network;
        Workers = workers;
        TaskCount = taskCount;
        _samples = new int[batchSize];
        _targets = new float[batchSize * network.OutputSize];
        _outputs = new float[batchSize * network.OutputSize];
        _taskLoss = new double[taskCount];
        _taskCorrect = new int[taskCount];
    }

    public TNetwork Network { get; }

    /// <summary>The threads that share each batch, the calling one included.</summary>
    public int Workers { get; }

    /// <summary>The tasks of the round; each covers its own rows of the batch (<see cref="RowsOf"/>).</summary>
    public int TaskCount { get; }

    /// <summary>Whether task i must run on worker i, at the same time as all the others, rather than on any free worker.</summary>
    public abstract bool Pinned { get; }

    /// <summary>The batch's rows: the indices into the dataset of its samples. Fill the first rows before <see cref="Begin"/>.</summary>
    public Span<int> Samples => _samples;

    /// <summary>The rows of the batch being run.</summary>
    public int Count { get; private set; }

    /// <summary>The workspaces whose gradients make up the batch's, in the order they are summed.</summary>
    public abstract ReadOnlySpan<BatchWorkspace> Workspaces { get; }

    /// <summary>The tasks of the reduction and update rounds that follow this one.</summary>
    public abstract WorkShares Shares { get; }

    /// <summary>The loss summed over the batch's rows, in task order.</summary>
    public double LossSum => PerTask.Sum(_taskLoss);

    /// <summary>The rows whose prediction was right.</summary>
    public int CorrectCount => PerTask.Sum(_taskCorrect);

    /// <summary>The key of the round's dropout masks (<see cref="BatchWorkspace.DropoutKey"/>); the trainer sets one per step.</summary>
    public ulong DropoutKey { get; set; }

    /// <summary>Whether the round adds gradients as well as computing the loss.</summary>
    protected bool ComputeGradients { get; private set; }

    /// <summary>
    /// Chooses the split for <paramref name="options"/>, and its workers: those the user asked for, else as many as the
    /// work in a step can use (<see cref="RowChunks"/>). By outputs only when there are threads to share them.
    /// </summary>
    public static BatchSplit<TNetwork> Create(TNetwork network, TrainingOptions options, int processors)
    {
        int batchSize = options.BatchSize;
        if (options.Split == ThreadSplit.Outputs)
        {
            int threads = Math.Min(options.Threads ?? processors, batchSize);
            if (threads > 1)
            {
                return new OutputSplit<TNetwork>(network, batchSize, threads);
            }
        }

        int minimumRows = RowChunks.MinimumRows(network.Layers, network.ParameterCount);
        int workers = RowChunks.Workers(options.Threads, processors, batchSize, minimumRows);
        return new SampleSplit<TNetwork>(network, batchSize, workers, chunks: workers);
    }

    /// <summary>Prepares a round over the first <paramref name="count"/> <see cref="Samples"/> of <paramref name="data"/>.</summary>
    public virtual void Begin(Dataset data, int count, bool computeGradients)
    {
        _data = data;
        Count = count;
        ComputeGradients = computeGradients;
    }

    /// <summary>Lets go of the round's dataset.</summary>
    public void End() => _data = null;

    /// <summary>Task <paramref name="task"/> of the round: the passes over its rows, or, pinned, worker <paramref name="task"/>'s share.</summary>
    public abstract void RunForwardAndBackward(int task);

    /// <summary>Task <paramref name="task"/>'s rows of the round's batch.</summary>
    protected (int Start, int End) RowsOf(int task) =>
        ((int)((long)Count * task / TaskCount), (int)((long)Count * (task + 1) / TaskCount));

    /// <summary>
    /// Copies the samples of batch rows [<paramref name="start"/>, <paramref name="end"/>): inputs into
    /// <paramref name="inputRows"/>, targets into the shared target rows.
    /// </summary>
    protected void Gather(int start, int end, Span<float> inputRows)
    {
        Dataset data = _data!;
        int inputSize = data.InputSize, targetSize = data.TargetSize;
        for (int row = start; row < end; row++)
        {
            int sample = _samples[row];
            data.Input(sample).CopyTo(inputRows.Slice((row - start) * inputSize, inputSize));
            data.Target(sample).CopyTo(_targets.AsSpan(row * targetSize, targetSize));
        }
    }

    /// <summary>The shared targets of batch rows [<paramref name="start"/>, <paramref name="end"/>).</summary>
    protected ReadOnlySpan<float> TargetRows(int start, int end) =>
        _targets.AsSpan(start * Network.OutputSize, (end - start) * Network.OutputSize);

    /// <summary>The shared outputs of batch rows [<paramref name="start"/>, <paramref name="end"/>).</summary>
    protected Span<float> OutputRows(int start, int end) =>
        _outputs.AsSpan(start * Network.OutputSize, (end - start) * Network.OutputSize);

    /// <summary>Task <paramref name="task"/> has not found anything yet.</summary>
    protected void ClearResults(int task)
    {
        _taskLoss[task] = 0;
        _taskCorrect[task] = 0;
    }

    /// <summary>Records task <paramref name="task"/>'s loss over rows [<paramref name="start"/>, <paramref name="end"/>) and counts those it got right.</summary>
    protected void RecordResults(int task, float loss, int start, int end)
    {
        int outputSize = Network.OutputSize;
        ReadOnlySpan<float> outputs = OutputRows(start, end), targets = TargetRows(start, end);
        int correct = 0;
        for (int row = 0; row < end - start; row++)
        {
            correct += Metrics.IsCorrect(outputs.Slice(row * outputSize, outputSize), targets.Slice(row * outputSize, outputSize)) ? 1 : 0;
        }

        _taskLoss[task] = loss;
        _taskCorrect[task] = correct;
    }
}
