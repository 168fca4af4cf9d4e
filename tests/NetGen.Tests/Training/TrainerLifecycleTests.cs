using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Tests.Networks;
using Xunit;

namespace NetGen.Tests.Training;

public class TrainerLifecycleTests
{
    private static readonly Dataset Xor = new(new float[] { 0, 0, 0, 1, 1, 0, 1, 1 }, 2, new float[] { 0, 1, 1, 0 }, 1);

    // The opposite labels: the better the network learns XOR, the worse it does here.
    private static readonly Dataset InvertedXor = new(new float[] { 0, 0, 0, 1, 1, 0, 1, 1 }, 2, new float[] { 1, 0, 0, 1 }, 1);

    [Fact]
    public void Early_stopping_on_a_plateau_restores_the_parameters_of_the_best_epoch()
    {
        var network = new XorNet();
        network.InitializeParameters(1);
        var snapshots = new List<float[]>();
        var trainer = new Trainer<XorNet>(network, new Sgd(0.9f), new TrainingOptions
        {
            Epochs = 200,
            BatchSize = 4,
            LearningRate = 0.1f,
            EarlyStopping = new EarlyStopping { Patience = 3 },
        });

        TrainingResult result = trainer.Fit(Xor, InvertedXor, new Recorder(_ => snapshots.Add(network.Parameters.ToArray())));

        Assert.Equal(StopReason.Plateau, result.StopReason);
        Assert.Equal(result.BestEpoch + 3, result.Epochs.Count);
        Assert.True(result.RestoredBestParameters);
        float bestLoss = result.Epochs.Min(e => e.ValidationLoss!.Value);
        Assert.Equal(bestLoss, result.Epochs[result.BestEpoch - 1].ValidationLoss);
        Assert.Equal(snapshots[result.BestEpoch - 1], network.Parameters.ToArray());
        Assert.NotEqual(snapshots[^1], network.Parameters.ToArray());
    }

    [Fact]
    public void Early_stopping_ends_once_the_target_accuracy_is_reached()
    {
        var network = new XorNet();
        network.InitializeParameters(1);
        var trainer = new Trainer<XorNet>(network, new Sgd(0.9f), new TrainingOptions
        {
            Epochs = 2_000,
            BatchSize = 4,
            LearningRate = 0.1f,
            EarlyStopping = new EarlyStopping { Metric = StoppingMetric.ValidationAccuracy, Patience = null, TargetAccuracy = 1f },
        });

        TrainingResult result = trainer.Fit(Xor, validation: Xor);

        Assert.Equal(StopReason.TargetReached, result.StopReason);
        Assert.True(result.Epochs.Count < 2_000);
        Assert.Equal(1f, result.Epochs[^1].ValidationAccuracy);
        Assert.Equal(1f, trainer.Evaluate(Xor).Accuracy);
    }

    [Fact]
    public void Every_epoch_is_reported_with_its_rate_and_measurements()
    {
        var reports = new List<EpochReport>();
        var trainer = new Trainer<XorNet>(new XorNet(), new Adam(), new TrainingOptions
        {
            Epochs = 4,
            BatchSize = 2,
            LearningRate = 0.01f,
            Schedule = LearningRateSchedule.Step(2, 0.5f),
        });

        trainer.Fit(Xor, Xor, new Recorder(reports.Add));

        Assert.Equal(new[] { 1, 2, 3, 4 }, reports.Select(r => r.Epoch));
        Assert.Equal(new[] { 0.01f, 0.01f, 0.005f, 0.005f }, reports.Select(r => r.LearningRate));
        Assert.All(reports, r =>
        {
            Assert.Equal(4, r.TotalEpochs);
            Assert.True(r.SamplesPerSecond > 0);
            Assert.NotNull(r.ValidationLoss);
            Assert.InRange(r.TrainingAccuracy, 0f, 1f);
        });
        Assert.True(reports[^1].Elapsed >= reports[0].Elapsed);
    }

    [Fact]
    public void The_same_seed_gives_bit_identical_parameters_with_adam_schedules_and_clipping()
    {
        float[] Train()
        {
            var network = new MixedPathsCe();
            var data = RandomClassification(network, 96, seed: 4);
            new Trainer<MixedPathsCe>(network, new Adam(decoupledWeightDecay: 0.01f), new TrainingOptions
            {
                Epochs = 3,
                BatchSize = 10,
                LearningRate = 0.01f,
                Schedule = LearningRateSchedule.Cosine(3),
                ClipNorm = 1f,
                L2 = 1e-4f,
                Seed = 21,
            }).Fit(data);
            return network.Parameters.ToArray();
        }

        Assert.Equal(Train(), Train());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Two_threads_train_the_same_network_as_one_up_to_float_summation_order(bool adamWithClippingAndPenalties)
    {
        float[] Train(int threads)
        {
            var network = new MixedPathsCe();
            var data = RandomClassification(network, 96, seed: 4);
            var options = new TrainingOptions
            {
                Epochs = 2,
                BatchSize = 16,
                LearningRate = adamWithClippingAndPenalties ? 0.01f : 0.05f,
                Threads = threads,
            };
            if (adamWithClippingAndPenalties)
            {
                options = options with { ClipValue = 0.05f, ClipNorm = 0.5f, L1 = 1e-4f, L2 = 1e-3f };
            }

            Optimizer optimizer = adamWithClippingAndPenalties ? new Adam() : new Sgd(0.9f);
            using var trainer = new Trainer<MixedPathsCe>(network, optimizer, options);
            trainer.Fit(data);
            return network.Parameters.ToArray();
        }

        float[] one = Train(1), two = Train(2);
        Assert.NotEqual(one, two);
        Numeric.AssertClose(one.Select(v => (double)v).ToArray(), two, 1e-4, "parameters after 12 steps");
        Assert.Equal(two, Train(2));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void An_exploding_learning_rate_stops_training_naming_epoch_and_batch_and_keeps_finite_parameters(int threads)
    {
        var network = new MseIdentityOutput();
        var data = new Dataset(Enumerable.Range(0, 30).Select(i => (float)Math.Sin(i)).ToArray(), 3, Enumerable.Range(0, 20).Select(i => 5f * i).ToArray(), 2);
        using var trainer = new Trainer<MseIdentityOutput>(network, new Sgd(0.9f), new TrainingOptions { Epochs = 50, BatchSize = 2, LearningRate = 10f, Threads = threads });

        var error = Assert.Throws<TrainingDivergedException>(() => trainer.Fit(data));

        Assert.Contains($"epoch {error.Epoch}, batch {error.Batch}", error.Message);
        Assert.Contains("learning rate", error.Message);
        Assert.Contains("clip", error.Message);
        Assert.All(network.Parameters.ToArray(), p => Assert.True(float.IsFinite(p)));
    }

    [Fact]
    public void Evaluate_leaves_the_gradients_alone()
    {
        var network = new XorNet();
        var trainer = new Trainer<XorNet>(network, new Sgd());
        network.Gradients.Fill(3f);
        trainer.Evaluate(Xor);
        Assert.All(network.Gradients.ToArray(), g => Assert.Equal(3f, g));
    }

    internal static Dataset RandomClassification(INetwork network, int count, int seed)
    {
        var random = new SeededRandom(seed);
        var inputs = new float[count * network.InputSize];
        var labels = new byte[count];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = random.NextSymmetric(1f);
        }

        for (int i = 0; i < count; i++)
        {
            labels[i] = (byte)random.NextInt32(network.OutputSize);
        }

        return Dataset.FromClassLabels(inputs, network.InputSize, labels, network.OutputSize);
    }

    private sealed class Recorder(Action<EpochReport> onReport) : IProgress<EpochReport>
    {
        public void Report(EpochReport value) => onReport(value);
    }
}
