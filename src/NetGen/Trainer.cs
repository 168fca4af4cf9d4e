using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;

namespace NetGen;

/// <summary>
/// Mini-batch gradient descent for any generated network: shuffling, learning-rate schedules, L1/L2, gradient clipping,
/// validation, early stopping and a divergence guard. Generic over the network type so that the calls into the
/// generated code are direct; every buffer is allocated in the constructor, so a step allocates nothing.
/// </summary>
/// <typeparam name="TNetwork">The generated network class.</typeparam>
/// <remarks>
/// Each mini-batch is shared by <see cref="TrainingOptions.Threads"/> threads, by samples or by layer outputs
/// (<see cref="TrainingOptions.Split"/>), on one shared set of parameters; the same seed, data and thread count give
/// bit-identical parameters. Dispose the trainer to stop its threads.
/// </remarks>
public sealed class Trainer<TNetwork> : IDisposable
    where TNetwork : INetwork
{
    // The reduction and the update make several passes over each parameter range; taking them a chunk at a time keeps
    // the chunk in L1 between passes instead of streaming every range through L2 once per pass.
    private const int ChunkLength = 2048;

    private readonly TNetwork _network;
    private readonly Optimizer _optimizer;
    private readonly TrainingOptions _options;
    // Aligned like the parameters, so that workers copying neighbouring ranges never write the same cache line.
    private readonly AlignedBuffer _parametersBeforeStep;
    private readonly float[]? _bestParameters;

    // Each worker gathers its share of a mini-batch's inputs into its workspace (the shared one, split by outputs);
    // targets and outputs are shared.
    private readonly float[] _batchTargets;
    private readonly int[] _batchSamples;
    private Dataset? _roundData;
    private readonly float[] _batchOutputs;
    private readonly int _workers;

    // Split by samples: one workspace per worker. Split by outputs: one shared workspace, whose layers the workers
    // compute a share of each, meeting at the barrier between them.
    private readonly BatchWorkspace[] _workspaces;
    private readonly SpinBarrier? _barrier;
    private readonly WorkShares _shares;
    private readonly double[] _workerLoss;
    private readonly int[] _workerCorrect;
    private readonly Action<int> _runWorker;
    private WorkerPool? _pool;
    private int[]? _order;
    private readonly bool[] _workerFinite;
    private readonly double[] _workerSquares;
    private Round _round;
    private int _roundCount;
    private float _clipScale;
    private float _stepLearningRate;

    /// <summary>Prepares to train <paramref name="network"/> in place.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it.</exception>
    public Trainer(TNetwork network, Optimizer optimizer, TrainingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(optimizer);
        _options = options ?? new TrainingOptions();
        _options.Validate();
        _network = network;
        _optimizer = optimizer;
        _parametersBeforeStep = new AlignedBuffer(network.ParameterCount);
        _bestParameters = _options.EarlyStopping is { RestoreBestParameters: true } ? new float[network.ParameterCount] : null;

        int batch = _options.BatchSize;
        int workers = Math.Min(_options.Threads ?? Environment.ProcessorCount, batch);
        _workers = workers;
        _batchTargets = new float[batch * network.OutputSize];
        _batchSamples = new int[batch];
        _batchOutputs = new float[batch * network.OutputSize];
        if (_options.Split == ThreadSplit.Outputs && workers > 1)
        {
            _workspaces = new[] { network.CreateWorkspace(batch) };
            _barrier = new SpinBarrier(workers);
            _shares = WorkShares.ByOutputs(network.Layers, workers, ChunkLength);
        }
        else
        {
            _workspaces = new BatchWorkspace[workers];
            for (int i = 0; i < workers; i++)
            {
                _workspaces[i] = network.CreateWorkspace((batch + workers - 1) / workers);
            }

            _shares = WorkShares.BySamples(network.ParameterCount, workers, ChunkLength);
        }

        _workerLoss = new double[workers];
        _workerCorrect = new int[workers];
        _workerFinite = new bool[workers];
        _workerSquares = new double[workers];
        _runWorker = RunWorker;
    }

    /// <summary>The threads that share each mini-batch.</summary>
    public int Threads => _workers;

    /// <summary>Bytes allocated by the worker threads (not the calling thread) while training; tests hold it at zero.</summary>
    internal long WorkerAllocatedBytes => _pool?.WorkerAllocatedBytes ?? 0;

    /// <summary>The network being trained.</summary>
    public TNetwork Network => _network;

    /// <summary>
    /// Trains for up to <see cref="TrainingOptions.Epochs"/> epochs, evaluating <paramref name="validation"/> (if any)
    /// after each, and reports every epoch to <paramref name="progress"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A dataset's row sizes do not match the network.</exception>
    /// <exception cref="TrainingDivergedException">A loss, gradient or parameter became NaN or infinite.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the parameters keep the last completed step.</exception>
    public TrainingResult Fit(
        Dataset training,
        Dataset? validation = null,
        IProgress<EpochReport>? progress = null,
        CancellationToken cancellationToken = default)
    {
        CheckShape(training);
        if (validation is not null)
        {
            CheckShape(validation);
        }

        var reports = new List<EpochReport>(_options.Epochs);
        if (_order?.Length != training.Count)
        {
            _order = new int[training.Count];
        }

        int[] order = _order;
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        var random = new SeededRandom(_options.Seed);
        var watch = new BestEpochWatch(_options.EarlyStopping);
        var stopReason = StopReason.Completed;
        var clock = Stopwatch.StartNew();
        for (int epoch = 0; epoch < _options.Epochs; epoch++)
        {
            TimeSpan epochStart = clock.Elapsed;
            float learningRate = _options.Schedule.Rate(_options.LearningRate, epoch);
            if (_options.Shuffle)
            {
                random.Shuffle(order);
            }

            double lossSum = 0;
            int correct = 0;
            for (int start = 0, batch = 1; start < order.Length; start += _options.BatchSize, batch++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int count = Math.Min(_options.BatchSize, order.Length - start);
                lossSum += Step(training, order.AsSpan(start, count), learningRate, epoch + 1, batch, ref correct);
            }

            double epochSeconds = (clock.Elapsed - epochStart).TotalSeconds;
            Evaluation? checkedOn = validation is null ? null : Evaluate(validation);
            var report = new EpochReport(
                epoch + 1,
                _options.Epochs,
                (float)(lossSum / order.Length),
                (float)correct / order.Length,
                checkedOn?.Loss,
                checkedOn?.Accuracy,
                learningRate,
                clock.Elapsed,
                order.Length / Math.Max(epochSeconds, 1e-9));
            reports.Add(report);
            progress?.Report(report);

            if (watch.Observe(report) && _bestParameters is not null)
            {
                _network.Parameters.CopyTo(_bestParameters);
            }

            if (watch.ShouldStop(report) is StopReason reason)
            {
                stopReason = reason;
                break;
            }
        }

        bool restored = _bestParameters is not null && watch.BestEpoch > 0;
        if (restored)
        {
            _bestParameters.CopyTo(_network.Parameters);
        }

        return new TrainingResult(reports, stopReason, watch.BestEpoch > 0 ? watch.BestEpoch : reports.Count, restored);
    }

    /// <summary>
    /// One gradient step at the base learning rate on the samples at <paramref name="batch"/>. Returns their mean loss
    /// before the step.
    /// </summary>
    public float TrainBatch(Dataset data, ReadOnlySpan<int> batch)
    {
        CheckShape(data);
        if (batch.IsEmpty || batch.Length > _options.BatchSize)
        {
            throw new ArgumentException($"A mini-batch holds between 1 and BatchSize = {_options.BatchSize} samples, not {batch.Length}.", nameof(batch));
        }

        int correct = 0;
        return (float)(Step(data, batch, _options.LearningRate, epoch: 1, batchNumber: 1, ref correct) / batch.Length);
    }

    /// <summary>The network's mean loss and accuracy on <paramref name="data"/>; its gradients are left alone.</summary>
    public Evaluation Evaluate(Dataset data)
    {
        CheckShape(data);
        double lossSum = 0;
        int correct = 0;
        for (int start = 0; start < data.Count; start += _options.BatchSize)
        {
            int count = Math.Min(_options.BatchSize, data.Count - start);
            for (int k = 0; k < count; k++)
            {
                _batchSamples[k] = start + k;
            }

            _roundData = data;
            RunRound(Round.Loss, count);
            _roundData = null;
            lossSum += SumOf(_workerLoss);
            correct += SumOf(_workerCorrect);
        }

        int samples = Math.Max(data.Count, 1);
        return new Evaluation((float)(lossSum / samples), (float)correct / samples, data.Count);
    }

    /// <summary>Stops the worker threads.</summary>
    public void Dispose()
    {
        _pool?.Dispose();
        _pool = null;
    }

    /// <summary>
    /// Forward and backward over the batch, then regularization, clipping and the optimizer; returns the loss sum. All
    /// three rounds run on every worker: the batch split by samples or by outputs, then the reduction and the update
    /// over each worker's parameter ranges, so that only the checks between them run on the calling thread alone.
    /// </summary>
    private double Step(Dataset data, ReadOnlySpan<int> batch, float learningRate, int epoch, int batchNumber, ref int correct)
    {
        batch.CopyTo(_batchSamples);
        _roundData = data;
        RunRound(Round.Gradients, batch.Length);
        _roundData = null;
        double lossSum = SumOf(_workerLoss);
        correct += SumOf(_workerCorrect);
        if (!double.IsFinite(lossSum))
        {
            throw new TrainingDivergedException(epoch, batchNumber, $"the loss became {lossSum}", learningRate);
        }

        RunRound(Round.Reduce, batch.Length);
        if (!AllTrue(_workerFinite))
        {
            throw new TrainingDivergedException(epoch, batchNumber, "a gradient became NaN or infinite", learningRate);
        }

        _clipScale = 1f;
        if (_options.ClipNorm is float maxNorm)
        {
            double norm = Math.Sqrt(SumOf(_workerSquares));
            if (norm > maxNorm)
            {
                // PyTorch's clip_grad_norm_ adds the same 1e-6 so that the clipped norm lands just under the limit.
                _clipScale = (float)(maxNorm / (norm + 1e-6));
            }
        }

        _stepLearningRate = learningRate;
        _optimizer.BeginStep(_network.ParameterCount);
        RunRound(Round.Update, batch.Length);
        if (!AllTrue(_workerFinite))
        {
            _parametersBeforeStep.Span.CopyTo(_network.Parameters);
            throw new TrainingDivergedException(epoch, batchNumber, "the update made a parameter NaN or infinite", learningRate);
        }

        return lossSum;
    }

    /// <summary>
    /// Copies the samples of batch rows [<paramref name="start"/>, <paramref name="end"/>): inputs into
    /// <paramref name="inputRows"/>, targets into the shared target rows.
    /// </summary>
    private void Gather(int start, int end, Span<float> inputRows)
    {
        Dataset data = _roundData!;
        int inputSize = data.InputSize, targetSize = data.TargetSize;
        for (int row = start; row < end; row++)
        {
            int sample = _batchSamples[row];
            data.Input(sample).CopyTo(inputRows.Slice((row - start) * inputSize, inputSize));
            data.Target(sample).CopyTo(_batchTargets.AsSpan(row * targetSize, targetSize));
        }
    }

    /// <summary>Has every worker run <paramref name="round"/> on its share; <paramref name="count"/> rows are gathered.</summary>
    private void RunRound(Round round, int count)
    {
        _round = round;
        _roundCount = count;
        if (_barrier is not null && round is Round.Loss or Round.Gradients)
        {
            _barrier.Reset();
            _workspaces[0].Count = count;
        }

        if (_workers == 1)
        {
            RunWorker(0);
            return;
        }

        _pool ??= new WorkerPool(_workers);
        _pool.Run(_runWorker);
    }

    private void RunWorker(int worker)
    {
        switch (_round)
        {
            case Round.Reduce:
                Reduce(worker);
                break;
            case Round.Update:
                Update(worker);
                break;
            default:
                if (_barrier is null)
                {
                    ForwardAndBackward(worker);
                }
                else
                {
                    ForwardAndBackwardByOutputs(worker);
                }

                break;
        }
    }

    /// <summary>Worker <paramref name="worker"/>'s contiguous slice of samples: batched forward, then loss (and gradients).</summary>
    private void ForwardAndBackward(int worker)
    {
        (int start, int end) = RowsOf(worker);
        BatchWorkspace workspace = _workspaces[worker];
        bool computeGradients = _round == Round.Gradients;
        if (computeGradients)
        {
            workspace.GradientSpan.Clear();
        }

        _workerLoss[worker] = 0;
        _workerCorrect[worker] = 0;
        if (start == end)
        {
            return;
        }

        // Each worker copies its own rows, straight into its workspace: reading scattered samples from a large dataset
        // is slow enough to share, and a second copy would cost as much again.
        Span<float> inputRows = workspace.InputRows(end - start);
        Gather(start, end, inputRows);
        int outputSize = _network.OutputSize;
        ReadOnlySpan<float> targets = _batchTargets.AsSpan(start * outputSize, (end - start) * outputSize);
        Span<float> outputs = _batchOutputs.AsSpan(start * outputSize, (end - start) * outputSize);
        _network.ForwardBatch(workspace, inputRows, outputs);
        _workerLoss[worker] = computeGradients ? _network.BackwardBatch(workspace, targets) : _network.EvaluateLossBatch(workspace, targets);
        int correct = 0;
        for (int row = 0; row < end - start; row++)
        {
            correct += Metrics.IsCorrect(outputs.Slice(row * outputSize, outputSize), targets.Slice(row * outputSize, outputSize)) ? 1 : 0;
        }

        _workerCorrect[worker] = correct;
    }

    /// <summary>
    /// Worker <paramref name="worker"/>'s share of a step split by outputs: its rows of the inputs, its outputs of every
    /// layer for all the samples, the loss of its rows, then its weight and bias gradients and its share of each
    /// previous δ, meeting the other workers wherever the next pass reads what they wrote.
    /// </summary>
    private void ForwardAndBackwardByOutputs(int worker)
    {
        try
        {
            RunOutputShare(worker, _barrier!);
        }
        catch
        {
            _barrier!.Abandon();
            throw;
        }
    }

    private void RunOutputShare(int worker, SpinBarrier barrier)
    {
        BatchWorkspace workspace = _workspaces[0];
        (int firstRow, int endRow) = RowsOf(worker);
        bool computeGradients = _round == Round.Gradients;
        if (computeGradients)
        {
            // Only this worker writes these gradients, so only it clears them.
            foreach (ParameterRange range in _shares.ParametersOf(worker))
            {
                workspace.GradientSpan.Slice(range.Start, range.Length).Clear();
            }
        }

        _workerLoss[worker] = 0;
        _workerCorrect[worker] = 0;
        int count = _roundCount, inputSize = _network.InputSize;
        Gather(firstRow, endRow, workspace.InputRows(count).Slice(firstRow * inputSize));
        int layers = _network.Layers.Count;
        for (int layer = 0; layer < layers; layer++)
        {
            // Each layer reads all of the previous one's outputs (or all the inputs).
            if (!barrier.SignalAndWait())
            {
                return;
            }

            (int first, int end) = _shares.OutputsOf(worker, layer);
            if (first < end)
            {
                _network.ForwardLayerBatch(workspace, layer, first, end);
            }
        }

        if (!barrier.SignalAndWait())
        {
            return;
        }

        int outputSize = _network.OutputSize;
        ReadOnlySpan<float> targets = _batchTargets.AsSpan(0, count * outputSize);
        Span<float> outputs = _batchOutputs.AsSpan(0, count * outputSize);
        if (firstRow < endRow)
        {
            _workerLoss[worker] = _network.OutputLossBatch(workspace, targets, outputs, firstRow, endRow);
            int correct = 0;
            for (int row = firstRow; row < endRow; row++)
            {
                correct += Metrics.IsCorrect(outputs.Slice(row * outputSize, outputSize), targets.Slice(row * outputSize, outputSize)) ? 1 : 0;
            }

            _workerCorrect[worker] = correct;
        }

        // The output layer's δ was written by rows; its gradients are taken by columns.
        if (!computeGradients || !barrier.SignalAndWait())
        {
            return;
        }

        for (int layer = layers - 1; layer >= 0; layer--)
        {
            (int first, int end) = _shares.OutputsOf(worker, layer);
            if (first < end)
            {
                _network.WeightGradientsBatch(workspace, layer, first, end);
            }

            if (layer == 0)
            {
                break;
            }

            // This worker's share of the previous layer's δ reads all of this layer's δ, complete since the last
            // meeting; the next layer down then needs all of the δ written here.
            (int firstInput, int endInput) = _shares.OutputsOf(worker, layer - 1);
            if (firstInput < endInput)
            {
                _network.InputDeltaBatch(workspace, layer, firstInput, endInput);
            }

            if (layer > 1 && !barrier.SignalAndWait())
            {
                return;
            }
        }
    }

    /// <summary>Worker <paramref name="worker"/>'s rows of the round's batch.</summary>
    private (int Start, int End) RowsOf(int worker) =>
        ((int)((long)_roundCount * worker / _workers), (int)((long)_roundCount * (worker + 1) / _workers));

    /// <summary>
    /// The mean gradient over the batch for the worker's parameter range, summed over the workspaces in a fixed order,
    /// plus the L1/L2 terms and clipped by value; records whether it is finite and its squared norm.
    /// </summary>
    private void Reduce(int worker)
    {
        bool finite = true;
        double squares = 0;
        foreach ((int chunk, int count) in _shares.ParametersOf(worker))
        {
            Span<float> gradients = _network.Gradients.Slice(chunk, count);
            _workspaces[0].GradientSpan.Slice(chunk, count).CopyTo(gradients);
            for (int w = 1; w < _workspaces.Length; w++)
            {
                SpanMath.Add(gradients, _workspaces[w].GradientSpan.Slice(chunk, count));
            }

            SpanMath.Scale(gradients, 1f / _roundCount);
            if (_options.L1 != 0f || _options.L2 != 0f)
            {
                SpanMath.AddPenaltyGradients(gradients, _network.Parameters.Slice(chunk, count), _options.L1, _options.L2);
            }

            finite &= SpanMath.AllFinite(gradients);
            if (_options.ClipValue is float limit)
            {
                SpanMath.Clamp(gradients, limit);
            }

            if (_options.ClipNorm is not null)
            {
                squares += SpanMath.SumOfSquares(gradients);
            }
        }

        _workerFinite[worker] = finite;
        _workerSquares[worker] = squares;
    }

    /// <summary>Clips by norm, keeps a copy for the divergence guard and runs the optimizer over the worker's parameter range.</summary>
    private void Update(int worker)
    {
        bool finite = true;
        foreach ((int chunk, int count) in _shares.ParametersOf(worker))
        {
            Span<float> parameters = _network.Parameters.Slice(chunk, count);
            Span<float> gradients = _network.Gradients.Slice(chunk, count);
            if (_clipScale != 1f)
            {
                SpanMath.Scale(gradients, _clipScale);
            }

            parameters.CopyTo(_parametersBeforeStep.Slice(chunk, count));
            _optimizer.StepRange(parameters, gradients, chunk, _stepLearningRate);
            finite &= SpanMath.AllFinite(parameters);
        }

        _workerFinite[worker] = finite;
    }

    private static bool AllTrue(bool[] values)
    {
        foreach (bool value in values)
        {
            if (!value)
            {
                return false;
            }
        }

        return true;
    }

    private static double SumOf(double[] values)
    {
        double sum = 0;
        foreach (double value in values)
        {
            sum += value;
        }

        return sum;
    }

    private static int SumOf(int[] values)
    {
        int sum = 0;
        foreach (int value in values)
        {
            sum += value;
        }

        return sum;
    }

    private void CheckShape(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.InputSize != _network.InputSize || data.TargetSize != _network.OutputSize)
        {
            throw new ArgumentException(
                $"The network takes {_network.InputSize} inputs and {_network.OutputSize} targets per sample, " +
                $"but the dataset has {data.InputSize} and {data.TargetSize}.", nameof(data));
        }
    }

    /// <summary>What the workers do in one round.</summary>
    private enum Round
    {
        /// <summary>Forward and loss over their samples.</summary>
        Loss,

        /// <summary>Forward, loss and gradients over their samples.</summary>
        Gradients,

        /// <summary>The mean gradient over their parameter range.</summary>
        Reduce,

        /// <summary>The optimizer over their parameter range.</summary>
        Update,
    }
}
