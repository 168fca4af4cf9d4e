using System.Collections.Generic;

namespace NetGen;

/// <summary>Why training ended.</summary>
public enum StopReason
{
    /// <summary>Every epoch ran.</summary>
    Completed,

    /// <summary>The watched metric did not improve for <see cref="EarlyStopping.Patience"/> epochs.</summary>
    Plateau,

    /// <summary>The watched metric reached <see cref="EarlyStopping.TargetLoss"/> or <see cref="EarlyStopping.TargetAccuracy"/>.</summary>
    TargetReached,
}

/// <summary>The outcome of <see cref="Trainer{TNetwork}.Fit"/>.</summary>
/// <param name="Epochs">One report per epoch that ran.</param>
/// <param name="StopReason">Why training ended.</param>
/// <param name="BestEpoch">The epoch with the best watched metric (the last epoch without early stopping).</param>
/// <param name="RestoredBestParameters">Whether the network now holds the parameters of <paramref name="BestEpoch"/>.</param>
public sealed record TrainingResult(IReadOnlyList<EpochReport> Epochs, StopReason StopReason, int BestEpoch, bool RestoredBestParameters);
