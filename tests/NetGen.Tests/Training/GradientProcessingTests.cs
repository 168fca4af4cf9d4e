using System;
using NetGen.Tests.Networks;
using Xunit;

namespace NetGen.Tests.Training;

/// <summary>
/// Regularization and clipping, on the hand-worked 2-2-1 network whose gradient is known exactly
/// (see HandWorkedExampleTests): g = [0, 1, 0, 2, 0, 1, 0, −4, −2], weights input-major.
/// </summary>
public class GradientProcessingTests
{
    private static readonly float[] Start = { 0.5f, 1f, -1f, 0.25f, 0f, 0.5f, 2f, -0.5f, 0.25f };
    private static readonly float[] Gradient = { 0f, 1f, 0f, 2f, 0f, 1f, 0f, -4f, -2f };

    [Fact]
    public void L2_adds_lambda_times_the_parameter_to_each_gradient() =>
        AssertStep(new TrainingOptions { LearningRate = 0.1f, L2 = 0.5f }, i => Gradient[i] + 0.5f * Start[i]);

    [Fact]
    public void L1_adds_lambda_times_the_sign_of_the_parameter_to_each_gradient() =>
        AssertStep(new TrainingOptions { LearningRate = 0.1f, L1 = 0.5f }, i => Gradient[i] + 0.5f * MathF.Sign(Start[i]));

    [Fact]
    public void Clipping_by_value_clamps_each_gradient() =>
        AssertStep(new TrainingOptions { LearningRate = 0.1f, ClipValue = 1.5f }, i => Math.Clamp(Gradient[i], -1.5f, 1.5f));

    [Fact]
    public void Clipping_by_norm_rescales_the_whole_gradient_to_the_limit()
    {
        // ‖g‖ = √(1 + 4 + 1 + 16 + 4) = √26
        float scale = (float)(2.0 / (Math.Sqrt(26) + 1e-6));
        AssertStep(new TrainingOptions { LearningRate = 0.1f, ClipNorm = 2f }, i => Gradient[i] * scale);
    }

    [Fact]
    public void Clipping_by_norm_leaves_a_small_gradient_alone() =>
        AssertStep(new TrainingOptions { LearningRate = 0.1f, ClipNorm = 6f }, i => Gradient[i]);

    private static void AssertStep(TrainingOptions options, Func<int, float> expectedGradient)
    {
        var network = new HandWorkedRelu();
        Start.CopyTo(network.Parameters);
        var data = new Dataset(new[] { 1f, 2f }, 2, new[] { 0.25f }, 1);

        new Trainer<HandWorkedRelu>(network, new Sgd(), options).TrainBatch(data, new[] { 0 });

        for (int i = 0; i < Start.Length; i++)
        {
            Assert.Equal(Start[i] - options.LearningRate * expectedGradient(i), network.Parameters[i], 5);
        }
    }
}
