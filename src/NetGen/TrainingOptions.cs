using System;

namespace NetGen;

/// <summary>How <see cref="Trainer{TNetwork}"/> runs: epochs, mini-batches, learning rate and seed.</summary>
public sealed record TrainingOptions
{
    /// <summary>Passes over the training set. Default 10.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Samples per gradient step; the gradient is their mean. Default 32.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>η, the step size handed to the optimizer. Default 0.01.</summary>
    public float LearningRate { get; init; } = 0.01f;

    /// <summary>Seeds the shuffling, so that a run repeats bit for bit. Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>Visits the samples in a fresh seeded order each epoch. Default true.</summary>
    public bool Shuffle { get; init; } = true;

    internal void Validate()
    {
        if (Epochs <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Training needs at least one epoch.");
        }

        if (BatchSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "A mini-batch needs at least one sample.");
        }

        if (!(LearningRate > 0f) || float.IsInfinity(LearningRate))
        {
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "The learning rate must be a positive finite number.");
        }
    }
}
