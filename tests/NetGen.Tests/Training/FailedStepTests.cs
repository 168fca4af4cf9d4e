using System;
using System.Linq;
using NetGen.Tests.Networks;
using Xunit;

namespace NetGen.Tests.Training;

/// <summary>
/// A step that stops before its reduction (a loss that is not finite) must not leave its gradients in the workspaces to be
/// added to the next step's, nor move the parameters.
/// </summary>
public class FailedStepTests
{
    [Theory]
    [InlineData(1, ThreadSplit.Samples)]
    [InlineData(3, ThreadSplit.Samples)]
    [InlineData(2, ThreadSplit.Outputs)]
    public void A_step_after_one_whose_loss_was_not_finite_matches_a_fresh_trainers_step(int threads, ThreadSplit split)
    {
        var network = new MixedPathsCe();
        network.InitializeParameters(5);
        Dataset good = TrainerLifecycleTests.RandomClassification(network, 12, seed: 3);
        float[] poisonedInputs = Enumerable.Range(0, good.Count * good.InputSize).Select(i => good.Input(i / good.InputSize)[i % good.InputSize]).ToArray();
        poisonedInputs[5] = float.PositiveInfinity;
        var poisoned = new Dataset(poisonedInputs, good.InputSize, Enumerable.Range(0, good.Count * good.TargetSize).Select(i => good.Target(i / good.TargetSize)[i % good.TargetSize]).ToArray(), good.TargetSize);
        float[] start = network.Parameters.ToArray();
        int[] batch = Enumerable.Range(0, 12).ToArray();
        var options = new TrainingOptions { BatchSize = 12, LearningRate = 0.1f, Threads = threads, Split = split };

        using (var trainer = new Trainer<MixedPathsCe>(network, new Sgd(0.9f), options))
        {
            Assert.Throws<TrainingDivergedException>(() => trainer.TrainBatch(poisoned, batch));
            Assert.Equal(start, network.Parameters.ToArray());
            trainer.TrainBatch(good, batch);
        }

        var fresh = new MixedPathsCe();
        start.AsSpan().CopyTo(fresh.Parameters);
        using (var trainer = new Trainer<MixedPathsCe>(fresh, new Sgd(0.9f), options))
        {
            trainer.TrainBatch(good, batch);
        }

        Assert.Equal(fresh.Parameters.ToArray(), network.Parameters.ToArray());
    }
}
