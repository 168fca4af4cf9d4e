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
    private readonly TNetwork _network;
    private readonly TrainingOptions _options;
    private readonly float[]? _bestParameters;

    // A step is three rounds of tasks shared by the workers: forward and backward split by samples or by outputs, the
    // reduction of the gradients and the update.
    private readonly BatchSplit<TNetwork> _split;

    // Training steps taken so far; with the seed, the key of the next step's dropout masks.
    private ulong _trainingSteps;
    private readonly GradientReduction<TNetwork> _reduction;
    private readonly ParameterUpdate<TNetwork> _update;
    private readonly Action<int> _runTask;

    // Unless the user pinned the thread count: how many workers take part in each step.
    private readonly WorkerCountTuner? _tuner;
    private WorkerPool? _pool;
    private Round _round;
    private int[]? _order;

    /// <summary>Prepares to train <paramref name="network"/> in place.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it.</exception>
    public Trainer(TNetwork network, Optimizer optimizer, TrainingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(optimizer);
        _options = options ?? new TrainingOptions();
        _options.Validate();
        _network = network;
        _bestParameters = _options.EarlyStopping is { RestoreBestParameters: true } ? new float[network.ParameterCount] : null;

        _split = BatchSplit<TNetwork>.Create(network, _options, Environment.ProcessorCount);
        _reduction = new GradientReduction<TNetwork>(_split, _options);
        _update = new ParameterUpdate<TNetwork>(network, optimizer, _split.Shares, _options.ClipNorm);
        _runTask = RunTask;
        if (_options.Threads is null && !_split.Pinned && _split.Workers > 1)
        {
            _tuner = new WorkerCountTuner(_split.Workers);
        }
    }

    /// <summary>
    /// The threads that share each mini-batch: <see cref="TrainingOptions.Threads"/> where given, else no more than the
    /// processors and than a step's work can use.
    /// </summary>
    public int Threads => _split.Workers;

    /// <summary>Bytes allocated by the worker threads (not the calling thread) while training; tests hold it at zero.</summary>
    internal long WorkerAllocatedBytes => _pool?.WorkerAllocatedBytes ?? 0;

    /// <summary>The network being trained.</summary>
    public TNetwork Network => _network;

    /// <summary>
    /// Trains for up to <see cref="TrainingOptions.Epochs"/> epochs, evaluating <paramref name="validation"/> (if any)
    /// after each, and reports every epoch to <paramref name="progress"/>. The network is in
    /// <see cref="NetworkMode.Training"/> during each training step and in <see cref="NetworkMode.Evaluation"/> after
    /// it, for validation and the reports, and when this returns or throws.
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
    /// One gradient step at the base learning rate on the samples at <paramref name="batch"/>, in
    /// <see cref="NetworkMode.Training"/>; the network is left in <see cref="NetworkMode.Evaluation"/>. Returns their
    /// mean loss before the step.
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

    /// <summary>
    /// The network's mean loss and accuracy on <paramref name="data"/> in <see cref="NetworkMode.Evaluation"/>, the mode
    /// it is left in; its gradients are left alone.
    /// </summary>
    public Evaluation Evaluate(Dataset data)
    {
        CheckShape(data);
        _network.Mode = NetworkMode.Evaluation;
        double lossSum = 0;
        int correct = 0;
        for (int start = 0; start < data.Count; start += _options.BatchSize)
        {
            int count = Math.Min(_options.BatchSize, data.Count - start);
            Span<int> samples = _split.Samples;
            for (int row = 0; row < count; row++)
            {
                samples[row] = start + row;
            }

            RunBatch(data, count, computeGradients: false);
            lossSum += _split.LossSum;
            correct += _split.CorrectCount;
        }

        int total = Math.Max(data.Count, 1);
        return new Evaluation((float)(lossSum / total), (float)correct / total, data.Count);
    }

    /// <summary>Stops the worker threads.</summary>
    public void Dispose()
    {
        _pool?.Dispose();
        _pool = null;
    }

    /// <summary>
    /// Forward and backward over the batch in <see cref="NetworkMode.Training"/>, then regularization, clipping and
    /// the optimizer; returns the loss sum and leaves the network in <see cref="NetworkMode.Evaluation"/>. All three
    /// rounds are shared by the workers, so that only the checks between them run on the calling thread alone.
    /// </summary>
    private double Step(Dataset data, ReadOnlySpan<int> batch, float learningRate, int epoch, int batchNumber, ref int correct)
    {
        long started = Stopwatch.GetTimestamp();
        batch.CopyTo(_split.Samples);
        _split.DropoutKey = NextDropoutKey();
        _network.Mode = NetworkMode.Training;
        try
        {
            RunBatch(data, batch.Length, computeGradients: true);
        }
        finally
        {
            _network.Mode = NetworkMode.Evaluation;
        }

        double lossSum = _split.LossSum;
        correct += _split.CorrectCount;
        if (!double.IsFinite(lossSum))
        {
            throw new TrainingDivergedException(epoch, batchNumber, $"the loss became {lossSum}", learningRate);
        }

        RunRound(Round.Reduce);
        if (!_reduction.AllFinite)
        {
            throw new TrainingDivergedException(epoch, batchNumber, "a gradient became NaN or infinite", learningRate);
        }

        _update.Begin(learningRate, _reduction.SquaredNorm);
        RunRound(Round.Update);
        if (!_update.AllFinite)
        {
            _update.Rollback();
            throw new TrainingDivergedException(epoch, batchNumber, "the update made a parameter NaN or infinite", learningRate);
        }

        _tuner?.Record(Stopwatch.GetTimestamp() - started, batch.Length);

        return lossSum;
    }

    /// <summary>
    /// A fresh key for each training step, drawn from the seed and the step count: a seeded run repeats its dropout masks
    /// bit for bit, whatever the thread count, and no two steps share one.
    /// </summary>
    private ulong NextDropoutKey() => new SeededRandom(((long)_options.Seed << 32) ^ (long)++_trainingSteps).NextUInt64();

    /// <summary>Runs the split's round over the first <paramref name="count"/> of its samples of <paramref name="data"/>.</summary>
    private void RunBatch(Dataset data, int count, bool computeGradients)
    {
        _split.Begin(data, count, computeGradients);
        try
        {
            RunRound(Round.Batch);
        }
        finally
        {
            _split.End();
        }
    }

    /// <summary>Runs every task of <paramref name="round"/>, on the workers, or here when there is nothing to share.</summary>
    private void RunRound(Round round)
    {
        _round = round;
        (int tasks, bool pinned) = round == Round.Batch ? (_split.TaskCount, _split.Pinned) : (_split.Shares.TaskCount, _split.Shares.Pinned);
        if (_split.Workers == 1 || (tasks == 1 && !pinned))
        {
            for (int task = 0; task < tasks; task++)
            {
                RunTask(task);
            }

            return;
        }

        _pool ??= new WorkerPool(_split.Workers);
        if (pinned)
        {
            _pool.RunOnEveryWorker(_runTask);
        }
        else
        {
            _pool.Run(_runTask, tasks, _tuner?.Active ?? _split.Workers);
        }
    }

    private void RunTask(int task)
    {
        switch (_round)
        {
            case Round.Reduce:
                _reduction.Run(task);
                break;
            case Round.Update:
                _update.Run(task);
                break;
            default:
                _split.RunForwardAndBackward(task);
                break;
        }
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

    /// <summary>What the tasks of a round do.</summary>
    private enum Round
    {
        /// <summary>Forward and loss (and gradients) over their rows of the batch (<see cref="BatchSplit{TNetwork}"/>).</summary>
        Batch,

        /// <summary>The mean gradient over their parameter ranges (<see cref="GradientReduction{TNetwork}"/>).</summary>
        Reduce,

        /// <summary>The optimizer over their parameter ranges (<see cref="ParameterUpdate{TNetwork}"/>).</summary>
        Update,
    }
}
