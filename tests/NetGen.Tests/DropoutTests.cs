using System;
using System.Linq;
using NetGen.Tests.Networks;
using Xunit;

namespace NetGen.Tests;

/// <summary>Dropout inside generated networks: the identity in evaluation, a fixed mask per key in training, and a backward through that mask.</summary>
public class DropoutTests
{
    private const int Count = 9;

    [Fact]
    public void Training_mode_draws_its_masks_from_the_workspace_key_and_evaluation_mode_ignores_it()
    {
        INetwork network = new DeepConvBce();
        var (inputs, _) = NetworkCatalog.SampleRows(network, Count, firstSeed: 40);
        float[] Outputs(NetworkMode mode, ulong key)
        {
            network.Mode = mode;
            BatchWorkspace workspace = network.CreateWorkspace(Count);
            workspace.DropoutKey = key;
            var outputs = new float[Count * network.OutputSize];
            network.ForwardBatch(workspace, inputs, outputs);
            return outputs;
        }

        float[] evaluation = Outputs(NetworkMode.Evaluation, 1);
        Assert.Equal(evaluation, Outputs(NetworkMode.Evaluation, 2));
        Assert.Equal(Outputs(NetworkMode.Training, 7), Outputs(NetworkMode.Training, 7));
        Assert.NotEqual(Outputs(NetworkMode.Training, 7), Outputs(NetworkMode.Training, 8));
        Assert.NotEqual(evaluation, Outputs(NetworkMode.Training, 7));
    }

    [Fact]
    public void A_sample_keeps_its_mask_whichever_workspace_row_holds_it()
    {
        INetwork network = new DenseDropoutCe { Mode = NetworkMode.Training };
        var (inputs, _) = NetworkCatalog.SampleRows(network, Count, firstSeed: 50);
        var whole = new float[Count * network.OutputSize];
        BatchWorkspace one = network.CreateWorkspace(Count);
        one.DropoutKey = 99;
        network.ForwardBatch(one, inputs, whole);

        // The last four samples alone, in a workspace that says they are rows 5 to 8 of the batch.
        BatchWorkspace part = network.CreateWorkspace(4);
        part.DropoutKey = 99;
        part.DropoutFirstRow = 5;
        var tail = new float[4 * network.OutputSize];
        network.ForwardBatch(part, inputs.AsSpan(5 * network.InputSize), tail);

        Assert.Equal(whole.AsSpan(5 * network.OutputSize).ToArray(), tail);
    }

    [Fact]
    public void Each_training_forward_of_one_sample_draws_a_new_mask_and_backward_uses_it()
    {
        INetwork network = new DenseDropoutCe { Mode = NetworkMode.Training };
        var (input, target) = NetworkCatalog.Sample(network, seed: 3);
        var first = new float[network.OutputSize];
        var second = new float[network.OutputSize];
        network.Forward(input, first);
        network.Forward(input, second);
        Assert.NotEqual(first, second);

        // The gradient of the last Forward's function: the same loss as evaluating the network with that mask.
        network.ZeroGradients();
        float loss = network.Backward(target);
        Assert.Equal(loss, network.EvaluateLoss(target));
        Assert.Contains(network.Gradients.ToArray(), g => g != 0);
    }

    /// <summary>
    /// Central differences of the batched loss with one key (one set of masks) against the batched backward: the
    /// gradient flows through the kept values, scaled, and not through the dropped ones.
    /// </summary>
    [Fact]
    public void Batched_gradients_in_training_mode_match_finite_differences_under_a_fixed_mask()
    {
        const string name = nameof(DenseDropoutCe);
        INetwork network = NetworkCatalog.Create(name);
        network.InitializeParameters(5);
        network.Mode = NetworkMode.Training;
        var (inputs, targets) = NetworkCatalog.SampleRows(network, Count, firstSeed: 60);
        BatchWorkspace workspace = network.CreateWorkspace(Count);
        workspace.DropoutKey = 12345;
        var outputs = new float[Count * network.OutputSize];

        float Loss()
        {
            network.ForwardBatch(workspace, inputs, outputs);
            return network.EvaluateLossBatch(workspace, targets);
        }

        network.ForwardBatch(workspace, inputs, outputs);
        workspace.GradientSpan.Clear();
        network.BackwardBatch(workspace, targets);
        float[] analytic = workspace.GradientSpan.ToArray();

        const float h = 1e-2f;
        Span<float> parameters = network.Parameters;
        int checkedCount = 0;
        for (int p = 0; p < parameters.Length; p += 7)
        {
            float saved = parameters[p];
            parameters[p] = saved + h;
            double plus = Loss();
            parameters[p] = saved - h;
            double minus = Loss();
            parameters[p] = saved;
            double numeric = (plus - minus) / (2 * h);

            // A ReLU or max crossing inside [−h, h] makes the loss kink there; skip the few parameters where the
            // one-sided slopes disagree, as the catalog's finite-difference test does.
            parameters[p] = saved + h / 2;
            double halfPlus = Loss();
            parameters[p] = saved;
            double right = (halfPlus - Loss()) / (h / 2);
            if (Math.Abs(right - numeric) > 0.05 * Math.Max(1e-3, Math.Abs(numeric)))
            {
                continue;
            }

            checkedCount++;
            Assert.True(
                Math.Abs(numeric - analytic[p]) <= 2e-3 + 2e-2 * Math.Abs(numeric),
                $"{name} parameter {p}: backward {analytic[p]:R}, finite difference {numeric:R}");
        }

        Assert.True(checkedCount > parameters.Length / 7 / 2, $"only {checkedCount} parameters were smooth enough to check");
    }

    [Fact]
    public void Seeded_training_with_dropout_repeats_bit_for_bit()
    {
        float[] Train(int threads)
        {
            var network = new DenseDropoutCe();
            var (inputs, targets) = NetworkCatalog.SampleRows(network, 64, firstSeed: 70);
            var data = new Dataset(inputs, DenseDropoutCe.InputSize, targets, DenseDropoutCe.OutputSize);
            using var trainer = new Trainer<DenseDropoutCe>(
                network, new Adam(), new TrainingOptions { Epochs = 3, BatchSize = 16, LearningRate = 1e-2f, Seed = 4, Threads = threads });
            trainer.Fit(data);
            return network.Parameters.ToArray();
        }

        Assert.Equal(Train(1), Train(1));
        Assert.Equal(Train(2), Train(2));
    }

    [Theory]
    [InlineData(nameof(ConvPoolCe))]
    [InlineData(nameof(DeepConvBce))]
    public void Convolutional_networks_allocate_nothing_per_sample_or_batch(string name)
    {
        INetwork network = NetworkCatalog.Create(name);
        var (input, target) = NetworkCatalog.Sample(network, seed: 1);
        var output = new float[network.OutputSize];
        network.Mode = NetworkMode.Training;
        SteadyStateAllocation.AssertNone(
            () =>
            {
                network.Forward(input, output);
                network.Backward(target);
            },
            200,
            $"{name} Forward + Backward");

        var (inputs, targets) = NetworkCatalog.SampleRows(network, Count, firstSeed: 80);
        BatchWorkspace workspace = network.CreateWorkspace(Count);
        var outputs = new float[Count * network.OutputSize];
        SteadyStateAllocation.AssertNone(
            () =>
            {
                network.ForwardBatch(workspace, inputs, outputs);
                network.BackwardBatch(workspace, targets);
            },
            100,
            $"{name} ForwardBatch + BackwardBatch");
    }
}
