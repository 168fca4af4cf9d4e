using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using NetGen.Tests.Networks;
using Xunit;

namespace NetGen.Tests.Training;

/// <summary>The trainer runs its steps in <see cref="NetworkMode.Training"/> and everything else in <see cref="NetworkMode.Evaluation"/>.</summary>
public class NetworkModeTests
{
    // XOR to train on; the validation rows are told apart by their inputs, which no training row reaches.
    private static readonly Dataset Training = new(new float[] { 0, 0, 0, 1, 1, 0, 1, 1, 0, 0, 0, 1, 1, 0, 1, 1 }, 2, new float[] { 0, 1, 1, 0, 0, 1, 1, 0 }, 1);
    private static readonly Dataset Validation = new(new float[] { 10, 10, 10, 11, 11, 10, 11, 11 }, 2, new float[] { 0, 1, 1, 0 }, 1);

    public static TheoryData<int, ThreadSplit> Splits => new()
    {
        { 1, ThreadSplit.Samples },
        { 2, ThreadSplit.Samples },
        { 2, ThreadSplit.Outputs },
    };

    [Fact]
    public void A_new_network_starts_in_evaluation_mode() => Assert.Equal(NetworkMode.Evaluation, new XorNet().Mode);

    [Theory]
    [MemberData(nameof(Splits))]
    public void Fit_trains_in_training_mode_and_validates_and_reports_in_evaluation_mode(int threads, ThreadSplit split)
    {
        var network = new ModeRecordingNetwork();
        var reported = new List<NetworkMode>();
        using var trainer = new Trainer<ModeRecordingNetwork>(network, new Sgd(), Options(threads, split));

        trainer.Fit(Training, Validation, new Recorder(_ => reported.Add(network.Mode)));

        var calls = network.Calls.ToArray();
        Assert.Contains(calls, call => call.Forward && !call.Validation);
        Assert.Contains(calls, call => call.Forward && call.Validation);
        Assert.All(calls.Where(call => call.Forward), call => Assert.Equal(call.Validation ? NetworkMode.Evaluation : NetworkMode.Training, call.Mode));
        Assert.All(calls.Where(call => call.Name is "BackwardBatch" or "WeightGradientsBatch" or "InputDeltaBatch"), call => Assert.Equal(NetworkMode.Training, call.Mode));
        Assert.All(calls.Where(call => call.Name is "EvaluateLossBatch"), call => Assert.Equal(NetworkMode.Evaluation, call.Mode));
        Assert.Equal(new[] { NetworkMode.Evaluation, NetworkMode.Evaluation, NetworkMode.Evaluation }, reported);
        Assert.Equal(NetworkMode.Evaluation, network.Mode);
    }

    [Theory]
    [MemberData(nameof(Splits))]
    public void TrainBatch_steps_in_training_mode_and_leaves_evaluation_mode(int threads, ThreadSplit split)
    {
        var network = new ModeRecordingNetwork();
        using var trainer = new Trainer<ModeRecordingNetwork>(network, new Sgd(), Options(threads, split));

        trainer.TrainBatch(Training, new[] { 0, 1, 2, 3 });

        AssertEveryPassRanIn(NetworkMode.Training, network);
    }

    [Theory]
    [MemberData(nameof(Splits))]
    public void Evaluate_switches_a_network_left_in_training_mode_to_evaluation_mode(int threads, ThreadSplit split)
    {
        var network = new ModeRecordingNetwork { Mode = NetworkMode.Training };
        using var trainer = new Trainer<ModeRecordingNetwork>(network, new Sgd(), Options(threads, split));

        trainer.Evaluate(Validation);

        AssertEveryPassRanIn(NetworkMode.Evaluation, network);
    }

    [Theory]
    [MemberData(nameof(Splits))]
    public void A_step_that_throws_leaves_evaluation_mode(int threads, ThreadSplit split)
    {
        var network = new ModeRecordingNetwork { FailGradients = true };
        using var trainer = new Trainer<ModeRecordingNetwork>(network, new Sgd(), Options(threads, split));

        Assert.Throws<InvalidOperationException>(() => trainer.TrainBatch(Training, new[] { 0, 1, 2, 3 }));
        Assert.Equal(NetworkMode.Evaluation, network.Mode);
        Assert.Throws<InvalidOperationException>(() => trainer.Fit(Training, Validation));
        Assert.Equal(NetworkMode.Evaluation, network.Mode);
    }

    /// <summary>Every recorded pass ran in <paramref name="mode"/>, and the network is back in evaluation mode.</summary>
    private static void AssertEveryPassRanIn(NetworkMode mode, ModeRecordingNetwork network)
    {
        Assert.NotEmpty(network.Calls);
        Assert.All(network.Calls, call => Assert.Equal(mode, call.Mode));
        Assert.Equal(NetworkMode.Evaluation, network.Mode);
    }

    private static TrainingOptions Options(int threads, ThreadSplit split) =>
        new() { Epochs = 3, BatchSize = 4, Threads = threads, Split = split };

    private sealed class Recorder(Action<EpochReport> onReport) : IProgress<EpochReport>
    {
        public void Report(EpochReport value) => onReport(value);
    }

    /// <summary>A generated <see cref="XorNet"/> that records the mode each batched pass runs in, from any thread.</summary>
    private sealed class ModeRecordingNetwork : INetwork
    {
        private readonly INetwork _inner = new XorNet();

        public ModeRecordingNetwork() => _inner.InitializeParameters(1);

        public ConcurrentQueue<(string Name, bool Forward, bool Validation, NetworkMode Mode)> Calls { get; } = new();

        /// <summary>Makes every pass that computes gradients throw.</summary>
        public bool FailGradients { get; init; }

        public int InputSize => _inner.InputSize;

        public int OutputSize => _inner.OutputSize;

        public int ParameterCount => _inner.ParameterCount;

        public string Architecture => _inner.Architecture;

        public ulong ArchitectureFingerprint => _inner.ArchitectureFingerprint;

        public Span<float> Parameters => _inner.Parameters;

        public Span<float> Gradients => _inner.Gradients;

        public IReadOnlyList<LayerInfo> Layers => _inner.Layers;

        public NetworkMode Mode
        {
            get => _inner.Mode;
            set => _inner.Mode = value;
        }

        public void Forward(ReadOnlySpan<float> input, Span<float> output) => _inner.Forward(input, output);

        public float Backward(ReadOnlySpan<float> target) => _inner.Backward(target);

        public float EvaluateLoss(ReadOnlySpan<float> target) => _inner.EvaluateLoss(target);

        public void ZeroGradients() => _inner.ZeroGradients();

        public void InitializeParameters(int seed) => _inner.InitializeParameters(seed);

        public BatchWorkspace CreateWorkspace(int capacity) => _inner.CreateWorkspace(capacity);

        public void ForwardBatch(BatchWorkspace workspace, ReadOnlySpan<float> inputs, Span<float> outputs)
        {
            RecordForward(nameof(ForwardBatch), inputs);
            _inner.ForwardBatch(workspace, inputs, outputs);
        }

        public float BackwardBatch(BatchWorkspace workspace, ReadOnlySpan<float> targets)
        {
            RecordGradients(nameof(BackwardBatch));
            return _inner.BackwardBatch(workspace, targets);
        }

        public float EvaluateLossBatch(BatchWorkspace workspace, ReadOnlySpan<float> targets)
        {
            Record(nameof(EvaluateLossBatch));
            return _inner.EvaluateLossBatch(workspace, targets);
        }

        public void ForwardLayerBatch(BatchWorkspace workspace, int layer, int firstOutput, int endOutput)
        {
            if (layer == 0)
            {
                RecordForward(nameof(ForwardLayerBatch), workspace.InputRows(workspace.Count));
            }

            _inner.ForwardLayerBatch(workspace, layer, firstOutput, endOutput);
        }

        public float OutputLossBatch(BatchWorkspace workspace, ReadOnlySpan<float> targets, Span<float> outputs, int firstRow, int endRow)
        {
            Record(nameof(OutputLossBatch));
            return _inner.OutputLossBatch(workspace, targets, outputs, firstRow, endRow);
        }

        public void WeightGradientsBatch(BatchWorkspace workspace, int layer, int firstOutput, int endOutput)
        {
            RecordGradients(nameof(WeightGradientsBatch));
            _inner.WeightGradientsBatch(workspace, layer, firstOutput, endOutput);
        }

        public void InputDeltaBatch(BatchWorkspace workspace, int layer, int firstInput, int endInput)
        {
            RecordGradients(nameof(InputDeltaBatch));
            _inner.InputDeltaBatch(workspace, layer, firstInput, endInput);
        }

        private void RecordForward(string name, ReadOnlySpan<float> inputs) => Calls.Enqueue((name, true, inputs[0] >= 10f, Mode));

        private void Record(string name) => Calls.Enqueue((name, false, false, Mode));

        private void RecordGradients(string name)
        {
            Record(name);
            if (FailGradients)
            {
                throw new InvalidOperationException("A pass that computes gradients failed, as the test asked.");
            }
        }
    }
}
