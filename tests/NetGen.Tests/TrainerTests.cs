using System;
using System.Threading;
using NetGen.Tests.Networks;
using Xunit;

namespace NetGen.Tests;

public class TrainerTests
{
    private static readonly float[] XorInputs = { 0, 0, 0, 1, 1, 0, 1, 1 };
    private static readonly float[] XorTargets = { 0, 1, 1, 0 };

    [Fact]
    public void Xor_reaches_full_accuracy_from_a_fixed_seed()
    {
        var data = new Dataset(XorInputs, 2, XorTargets, 1);
        var network = new XorNet();
        network.InitializeParameters(1);
        var trainer = new Trainer<XorNet>(network, new Sgd(momentum: 0.9f), new TrainingOptions { Epochs = 500, BatchSize = 4, LearningRate = 0.1f, Seed = 1 });

        var reports = trainer.Fit(data).Epochs;

        Assert.Equal(500, reports.Count);
        Assert.True(reports[^1].TrainingLoss < reports[0].TrainingLoss / 10, $"loss went from {reports[0].TrainingLoss} to {reports[^1].TrainingLoss}");
        Assert.Equal(1f, trainer.Evaluate(data).Accuracy);
    }

    [Fact]
    public void Training_twice_with_the_same_seed_gives_bit_identical_parameters()
    {
        float[] Train()
        {
            var data = new Dataset(XorInputs, 2, XorTargets, 1);
            var network = new XorNet();
            new Trainer<XorNet>(network, new Sgd(0.5f, nesterov: true), new TrainingOptions { Epochs = 30, BatchSize = 3, LearningRate = 0.2f, Seed = 9 }).Fit(data);
            return network.Parameters.ToArray();
        }

        Assert.Equal(Train(), Train());
    }

    [Fact]
    public void A_batch_step_applies_the_mean_gradient_times_the_learning_rate()
    {
        var network = new HandWorkedRelu();
        float[] start = { 0.5f, 1f, -1f, 0.25f, 0f, 0.5f, 2f, -0.5f, 0.25f };
        start.CopyTo(network.Parameters);
        // The hand-worked sample twice: its mean gradient is its own (see HandWorkedExampleTests).
        var data = new Dataset(new[] { 1f, 2f, 1f, 2f }, 2, new[] { 0.25f, 0.25f }, 1);
        var trainer = new Trainer<HandWorkedRelu>(network, new Sgd(), new TrainingOptions { LearningRate = 0.5f });

        float loss = trainer.TrainBatch(data, new[] { 0, 1 });

        Assert.Equal(1f, loss);
        float[] gradient = { 0f, 1f, 0f, 2f, 0f, 1f, 0f, -4f, -2f };
        for (int i = 0; i < start.Length; i++)
        {
            Assert.Equal(start[i] - 0.5f * gradient[i], network.Parameters[i]);
        }
    }

    [Fact]
    public void Sgd_momentum_and_nesterov_follow_pytorch_update_rules()
    {
        // p = 1, g = 2 on every step, η = 0.1, μ = 0.5.
        // Momentum: v1 = 2, p = 0.8; v2 = 0.5·2 + 2 = 3, p = 0.5.
        // Nesterov: v1 = 2, p = 1 − 0.1·(2 + 1) = 0.7; v2 = 3, p = 0.7 − 0.1·(2 + 1.5) = 0.35.
        float[] p = { 1f };
        var momentum = new Sgd(0.5f);
        momentum.Step(p, new[] { 2f }, 0.1f);
        Assert.Equal(0.8f, p[0], 6);
        momentum.Step(p, new[] { 2f }, 0.1f);
        Assert.Equal(0.5f, p[0], 6);

        p[0] = 1f;
        var nesterov = new Sgd(0.5f, nesterov: true);
        nesterov.Step(p, new[] { 2f }, 0.1f);
        Assert.Equal(0.7f, p[0], 6);
        nesterov.Step(p, new[] { 2f }, 0.1f);
        Assert.Equal(0.35f, p[0], 6);
    }

    [Fact]
    public void A_dataset_that_does_not_fit_the_network_is_refused_with_both_shapes()
    {
        var trainer = new Trainer<XorNet>(new XorNet(), new Sgd());
        var error = Assert.Throws<ArgumentException>(() => trainer.Fit(new Dataset(new float[6], 3, new float[2], 1)));
        Assert.Contains("2 inputs", error.Message);
        Assert.Contains("has 3", error.Message);
    }

    [Fact]
    public void Cancellation_stops_training_with_operation_cancelled()
    {
        var trainer = new Trainer<XorNet>(new XorNet(), new Sgd());
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.Throws<OperationCanceledException>(() => trainer.Fit(new Dataset(XorInputs, 2, XorTargets, 1), cancellationToken: cancelled.Token));
    }
}
