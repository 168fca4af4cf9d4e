using System;

namespace NetGen;

/// <summary>
/// Training produced a NaN or infinite loss, gradient or parameter: the gradients exploded. The network keeps the
/// parameters it had before the offending batch.
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception for the given place and cause.</summary>
    public TrainingDivergedException(int epoch, int batch, string what, float learningRate)
        : base($"Training diverged in epoch {epoch}, batch {batch}: {what}. The network keeps its parameters from before this batch. " +
               $"Lower the learning rate (it was {learningRate}) or clip the gradients (TrainingOptions.ClipNorm or ClipValue).")
    {
        Epoch = epoch;
        Batch = batch;
    }

    /// <summary>1 for the first epoch.</summary>
    public int Epoch { get; }

    /// <summary>1 for the first mini-batch of the epoch.</summary>
    public int Batch { get; }
}
