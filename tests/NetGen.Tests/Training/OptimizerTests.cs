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

    public static TheoryData<string> OptimizerNames() => new() { "adam", "adamw", "sgd", "momentum", "nesterov" };

    [Theory]
    [MemberData(nameof(OptimizerNames))]
    public void A_step_split_into_ranges_at_any_offsets_gives_the_same_bits_as_one_step(string name)
    {
        const int Count = 103;
        var random = new SeededRandom(5);
        float[] start = new float[Count];
        for (int i = 0; i < Count; i++)
        {
            start[i] = random.NextSymmetric(1f);
        }

        float[] whole = (float[])start.Clone(), split = (float[])start.Clone();
        Optimizer one = Create(name), ranged = Create(name);
        int[] cuts = { 0, 5, 37, 64, 101, Count };
        for (int step = 0; step < 3; step++)
        {
            float[] gradients = new float[Count];
            for (int i = 0; i < Count; i++)
            {
                gradients[i] = random.NextSymmetric(2f);
            }

            one.Step(whole, gradients, 0.05f);
            ranged.BeginStep(Count);
            for (int c = 0; c + 1 < cuts.Length; c++)
            {
                int offset = cuts[c], length = cuts[c + 1] - cuts[c];
                ranged.StepRange(split.AsSpan(offset, length), gradients.AsSpan(offset, length), offset, 0.05f);
            }
        }

        Assert.Equal(whole, split);
    }

    [Fact]
    public void A_range_before_the_step_begins_or_outside_it_is_refused()
    {
        Assert.Throws<InvalidOperationException>(() => new Adam().StepRange(new float[4], new float[4], 0, 0.1f));
        var sgd = new Sgd(0.9f);
        sgd.BeginStep(8);
        Assert.Equal("offset", Assert.Throws<ArgumentOutOfRangeException>(() => sgd.StepRange(new float[4], new float[4], 6, 0.1f)).ParamName);
    }

    private static Optimizer Create(string name) => name switch
    {
        "adam" => new Adam(),
        "adamw" => new Adam(decoupledWeightDecay: 0.01f),
        "sgd" => new Sgd(),
        "momentum" => new Sgd(0.9f),
        _ => new Sgd(0.9f, nesterov: true),
    };

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
