using System;

namespace NetGen;

/// <summary>What <see cref="EarlyStopping"/> watches.</summary>
public enum StoppingMetric
{
    /// <summary>The validation loss (the training loss when there is no validation set); lower is better.</summary>
    ValidationLoss,

    /// <summary>The validation accuracy (the training accuracy when there is no validation set); higher is better.</summary>
    ValidationAccuracy,
}

/// <summary>
/// Stops training when the watched metric stops improving, or once it reaches a target, as Keras' <c>EarlyStopping</c>.
/// With <see cref="RestoreBestParameters"/> the network ends with the parameters of its best epoch.
/// </summary>
public sealed record EarlyStopping
{
    /// <summary>The metric that decides. Default <see cref="StoppingMetric.ValidationLoss"/>.</summary>
    public StoppingMetric Metric { get; init; } = StoppingMetric.ValidationLoss;

    /// <summary>Epochs without improvement before stopping; null waits forever (only the targets stop). Default 5.</summary>
    public int? Patience { get; init; } = 5;

    /// <summary>The smallest change that counts as an improvement. Default 0.</summary>
    public float MinDelta { get; init; }

    /// <summary>Stop once the validation loss is at or below this.</summary>
    public float? TargetLoss { get; init; }

    /// <summary>Stop once the validation accuracy is at or above this (a fraction, e.g. 0.98).</summary>
    public float? TargetAccuracy { get; init; }

    /// <summary>Copy back the parameters of the best epoch when training ends. Default true.</summary>
    public bool RestoreBestParameters { get; init; } = true;

    internal void Validate()
    {
        if (Patience is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Patience), Patience, "Patience must be at least one epoch, or null.");
        }

        if (!(MinDelta >= 0f))
        {
            throw new ArgumentOutOfRangeException(nameof(MinDelta), MinDelta, "MinDelta must be zero or positive.");
        }
    }
}
