using System;

namespace NetGen;

/// <summary>
/// The learning rate for each epoch, derived from the base rate in <see cref="TrainingOptions.LearningRate"/>.
/// Like PyTorch's schedulers stepped once per epoch.
/// </summary>
public abstract class LearningRateSchedule
{
    /// <summary>The base rate in every epoch.</summary>
    public static LearningRateSchedule Constant { get; } = new ConstantSchedule();

    /// <summary>The rate for <paramref name="epoch"/> (0 for the first).</summary>
    public abstract float Rate(float baseRate, int epoch);

    /// <summary>η·factor^⌊epoch / every⌋, as <c>StepLR(step_size=every, gamma=factor)</c>.</summary>
    public static LearningRateSchedule Step(int every, float factor)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(every);
        CheckFactor(factor);
        return new StepSchedule(every, factor);
    }

    /// <summary>η·factor^epoch, as <c>ExponentialLR(gamma=factor)</c>.</summary>
    public static LearningRateSchedule Exponential(float factor)
    {
        CheckFactor(factor);
        return new StepSchedule(1, factor);
    }

    /// <summary>
    /// minimum + (η − minimum)·(1 + cos(π·epoch / epochs))/2, as <c>CosineAnnealingLR(T_max=epochs, eta_min=minimum)</c>;
    /// the minimum from <paramref name="epochs"/> on.
    /// </summary>
    public static LearningRateSchedule Cosine(int epochs, float minimum = 0f)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epochs);
        if (!(minimum >= 0f))
        {
            throw new ArgumentOutOfRangeException(nameof(minimum), minimum, "The minimum rate must be zero or positive.");
        }

        return new CosineSchedule(epochs, minimum);
    }

    private static void CheckFactor(float factor)
    {
        if (!(factor > 0f && factor <= 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "The decay factor must be in (0, 1].");
        }
    }

    private sealed class ConstantSchedule : LearningRateSchedule
    {
        public override float Rate(float baseRate, int epoch) => baseRate;
    }

    private sealed class StepSchedule(int every, float factor) : LearningRateSchedule
    {
        public override float Rate(float baseRate, int epoch) => baseRate * MathF.Pow(factor, epoch / every);
    }

    private sealed class CosineSchedule(int epochs, float minimum) : LearningRateSchedule
    {
        public override float Rate(float baseRate, int epoch) =>
            epoch >= epochs ? minimum : minimum + (baseRate - minimum) * (1f + MathF.Cos(MathF.PI * epoch / epochs)) / 2f;
    }
}
