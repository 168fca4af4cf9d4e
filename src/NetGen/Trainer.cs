using System;
using System.Diagnostics;
using System.Threading;

namespace NetGen;

/// <summary>
/// Mini-batch gradient descent for any generated network. Generic over the network type so that the calls into the
/// generated code are direct; every buffer is allocated here, in the constructor, so a step allocates nothing.
/// </summary>
/// <typeparam name="TNetwork">The generated network class.</typeparam>
public sealed class Trainer<TNetwork>
    where TNetwork : INetwork
{
    private readonly TNetwork _network;
    private readonly Optimizer _optimizer;
    private readonly TrainingOptions _options;
    private readonly float[] _output;

    /// <summary>Prepares to train <paramref name="network"/> in place.</summary>
    public Trainer(TNetwork network, Optimizer optimizer, TrainingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(optimizer);
        _options = options ?? new TrainingOptions();
        _options.Validate();
        _network = network;
        _optimizer = optimizer;
        _output = new float[network.OutputSize];
    }

    /// <summary>The network being trained.</summary>
    public TNetwork Network => _network;

    /// <summary>
    /// Trains for <see cref="TrainingOptions.Epochs"/> epochs and returns one report per epoch.
    /// </summary>
    /// <exception cref="ArgumentException">The dataset's row sizes do not match the network.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the parameters keep the last completed step.</exception>
    public EpochReport[] Fit(Dataset training, CancellationToken cancellationToken = default)
    {
        CheckShape(training);
        var reports = new EpochReport[_options.Epochs];
        var order = new int[training.Count];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        var random = new SeededRandom(_options.Seed);
        var clock = Stopwatch.StartNew();
        for (int epoch = 0; epoch < _options.Epochs; epoch++)
        {
            var epochStart = clock.Elapsed;
            if (_options.Shuffle)
            {
                random.Shuffle(order);
            }

            double lossSum = 0;
            for (int start = 0; start < order.Length; start += _options.BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int count = Math.Min(_options.BatchSize, order.Length - start);
                lossSum += TrainBatch(training, order.AsSpan(start, count)) * count;
            }

            var epochTime = clock.Elapsed - epochStart;
            reports[epoch] = new EpochReport(
                epoch + 1,
                (float)(lossSum / order.Length),
                clock.Elapsed,
                order.Length / Math.Max(epochTime.TotalSeconds, 1e-9));
        }

        return reports;
    }

    /// <summary>
    /// One gradient step on the samples at <paramref name="batch"/>: their mean gradient, then the optimizer.
    /// Returns their mean loss before the step.
    /// </summary>
    public float TrainBatch(Dataset data, ReadOnlySpan<int> batch)
    {
        if (batch.IsEmpty)
        {
            throw new ArgumentException("A mini-batch needs at least one sample.", nameof(batch));
        }

        _network.ZeroGradients();
        double lossSum = 0;
        foreach (int index in batch)
        {
            _network.Forward(data.Input(index), _output);
            lossSum += _network.Backward(data.Target(index));
        }

        Span<float> gradients = _network.Gradients;
        float scale = 1f / batch.Length;
        for (int i = 0; i < gradients.Length; i++)
        {
            gradients[i] *= scale;
        }

        _optimizer.Step(_network.Parameters, gradients, _options.LearningRate);
        return (float)(lossSum / batch.Length);
    }

    /// <summary>The network's mean loss and accuracy on <paramref name="data"/>; the gradients are left zeroed.</summary>
    public Evaluation Evaluate(Dataset data)
    {
        CheckShape(data);
        double lossSum = 0;
        int correct = 0;
        for (int i = 0; i < data.Count; i++)
        {
            _network.Forward(data.Input(i), _output);
            lossSum += _network.Backward(data.Target(i));
            if (Metrics.IsCorrect(_output, data.Target(i)))
            {
                correct++;
            }
        }

        _network.ZeroGradients();
        return new Evaluation((float)(lossSum / Math.Max(data.Count, 1)), (float)correct / Math.Max(data.Count, 1), data.Count);
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
