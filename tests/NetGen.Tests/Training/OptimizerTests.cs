using System;
using Xunit;

namespace NetGen.Tests.Training;

public class OptimizerTests
{
    [Fact]
    public void Adam_takes_the_hand_computed_bias_corrected_steps()
    {
        // η = 0.1, β₁ = 0.9, β₂ = 0.999, ε = 1e-8; p = 1; g = 2, then g = −1.
        float[] p = { 1f };
        var adam = new Adam();
        adam.Step(p, new[] { 2f }, 0.1f);
        // m = 0.2, v = 0.004; m̂ = 2, v̂ = 4; p = 1 − 0.1·2/(2 + 1e-8) = 0.9
        Assert.Equal(0.9, p[0], 6);

        adam.Step(p, new[] { -1f }, 0.1f);
        // m = 0.18 − 0.1 = 0.08, v = 0.003996 + 0.001 = 0.004996; m̂ = 0.08/0.19, v̂ = 0.004996/0.001999
        double mHat = 0.08 / (1 - 0.9 * 0.9), vHat = 0.004996 / (1 - 0.999 * 0.999);
        Assert.Equal(0.9 - 0.1 * mHat / (Math.Sqrt(vHat) + 1e-8), p[0], 5);
    }

    [Fact]
    public void AdamW_decays_weights_even_without_gradient()
    {
        float[] p = { 2f };
        new Adam(decoupledWeightDecay: 0.5f).Step(p, new[] { 0f }, 0.1f);
        // p ← p·(1 − η·λ) = 2·0.95, and the Adam term is 0 for g = 0.
        Assert.Equal(1.9f, p[0], 6);
    }

    [Fact]
    public void Optimizers_refuse_gradients_of_another_length()
    {
        Assert.Throws<ArgumentException>(() => new Adam().Step(new float[3], new float[2], 0.1f));
        Assert.Throws<ArgumentException>(() => new Sgd(0.9f).Step(new float[3], new float[2], 0.1f));
        Assert.Throws<ArgumentException>(() => new Sgd().Step(new float[3], new float[2], 0.1f));
    }

    [Fact]
    public void Out_of_range_hyperparameters_are_refused_by_name()
    {
        Assert.Equal("momentum", Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(1f)).ParamName);
        Assert.Equal("beta2", Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(beta2: 1f)).ParamName);
        Assert.Equal("LearningRate", Assert.Throws<ArgumentOutOfRangeException>(
            () => new Trainer<Networks.XorNet>(new Networks.XorNet(), new Sgd(), new TrainingOptions { LearningRate = float.NaN })).ParamName);
    }

    [Theory]
    [InlineData(0, 1f)]
    [InlineData(1, 1f)]
    [InlineData(2, 0.5f)]
    [InlineData(5, 0.25f)]
    public void Step_schedule_multiplies_by_the_factor_every_n_epochs(int epoch, float expected) =>
        Assert.Equal(expected, LearningRateSchedule.Step(2, 0.5f).Rate(1f, epoch), 6);

    [Theory]
    [InlineData(0, 1f)]
    [InlineData(3, 0.729f)]
    public void Exponential_schedule_multiplies_by_the_factor_every_epoch(int epoch, float expected) =>
        Assert.Equal(expected, LearningRateSchedule.Exponential(0.9f).Rate(1f, epoch), 6);

    [Theory]
    [InlineData(0, 1f)]
    [InlineData(2, 0.55f)]
    [InlineData(4, 0.1f)]
    [InlineData(9, 0.1f)]
    public void Cosine_schedule_anneals_from_the_base_rate_to_the_minimum(int epoch, float expected) =>
        Assert.Equal(expected, LearningRateSchedule.Cosine(4, 0.1f).Rate(1f, epoch), 6);

    [Fact]
    public void Constant_schedule_keeps_the_base_rate() =>
        Assert.Equal(0.3f, LearningRateSchedule.Constant.Rate(0.3f, 17));
}
