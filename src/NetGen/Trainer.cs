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
/// <remarks>Single-threaded: the same seed and data give bit-identical parameters.</remarks>
public sealed class Trainer<TNetwork>
    where TNetwork : INetwork
{
    private readonly TNetwork _network;
    private readonly Optimizer _optimizer;
    private readonly TrainingOptions _options;
    private readonly float[] _output;
    private readonly float[] _parametersBeforeStep;
    private readonly float[]? _bestParameters;

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
        _output = new float[network.OutputSize];
        _parametersBeforeStep = new float[network.ParameterCount];
        _bestParameters = _options.EarlyStopping is { RestoreBestParameters: true } ? new float[network.ParameterCount] : null;
    }

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
        var order = new int[training.Count];
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
        if (batch.IsEmpty)
        {
            throw new ArgumentException("A mini-batch needs at least one sample.", nameof(batch));
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
        for (int i = 0; i < data.Count; i++)
        {
            _network.Forward(data.Input(i), _output);
            lossSum += _network.EvaluateLoss(data.Target(i));
            correct += Metrics.IsCorrect(_output, data.Target(i)) ? 1 : 0;
        }

        int count = Math.Max(data.Count, 1);
        return new Evaluation((float)(lossSum / count), (float)correct / count, data.Count);
    }

    /// <summary>Forward and backward over the batch, then regularization, clipping and the optimizer; returns the loss sum.</summary>
    private double Step(Dataset data, ReadOnlySpan<int> batch, float learningRate, int epoch, int batchNumber, ref int correct)
    {
        _network.ZeroGradients();
        double lossSum = 0;
        foreach (int index in batch)
        {
            ReadOnlySpan<float> target = data.Target(index);
            _network.Forward(data.Input(index), _output);
            lossSum += _network.Backward(target);
            correct += Metrics.IsCorrect(_output, target) ? 1 : 0;
        }

        if (!double.IsFinite(lossSum))
        {
            throw new TrainingDivergedException(epoch, batchNumber, $"the loss became {lossSum}", learningRate);
        }

        Span<float> parameters = _network.Parameters;
        Span<float> gradients = _network.Gradients;
        SpanMath.Scale(gradients, 1f / batch.Length);
        if (_options.L1 != 0f || _options.L2 != 0f)
        {
            SpanMath.AddPenaltyGradients(gradients, parameters, _options.L1, _options.L2);
        }

        if (!SpanMath.AllFinite(gradients))
        {
            throw new TrainingDivergedException(epoch, batchNumber, "a gradient became NaN or infinite", learningRate);
        }

        Clip(gradients);
        parameters.CopyTo(_parametersBeforeStep);
        _optimizer.Step(parameters, gradients, learningRate);
        if (!SpanMath.AllFinite(parameters))
        {
            _parametersBeforeStep.CopyTo(parameters);
            throw new TrainingDivergedException(epoch, batchNumber, "the update made a parameter NaN or infinite", learningRate);
        }

        return lossSum;
    }

    private void Clip(Span<float> gradients)
    {
        if (_options.ClipValue is float limit)
        {
            SpanMath.Clamp(gradients, limit);
        }

        if (_options.ClipNorm is float maxNorm)
        {
            double norm = Math.Sqrt(SpanMath.SumOfSquares(gradients));
            if (norm > maxNorm)
            {
                // PyTorch's clip_grad_norm_ adds the same 1e-6 so that the clipped norm lands just under the limit.
                SpanMath.Scale(gradients, (float)(maxNorm / (norm + 1e-6)));
            }
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
}
