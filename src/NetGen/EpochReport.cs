using System;

namespace NetGen;

/// <summary>What one epoch of training measured; the trainer hands one to its progress reporter after every epoch.</summary>
/// <param name="Epoch">1 for the first epoch.</param>
/// <param name="TotalEpochs">The most epochs this run will train.</param>
/// <param name="TrainingLoss">Mean per-sample loss over the epoch, each batch measured before its step (regularization excluded).</param>
/// <param name="TrainingAccuracy">Fraction of training samples classified correctly, measured as the loss is.</param>
/// <param name="ValidationLoss">Mean loss on the validation set after the epoch, or null without one.</param>
/// <param name="ValidationAccuracy">Accuracy on the validation set after the epoch, or null without one.</param>
/// <param name="LearningRate">The learning rate used in this epoch.</param>
/// <param name="Elapsed">Wall time since training started.</param>
/// <param name="SamplesPerSecond">Training samples processed per second in this epoch.</param>
public readonly record struct EpochReport(
    int Epoch,
    int TotalEpochs,
    float TrainingLoss,
    float TrainingAccuracy,
    float? ValidationLoss,
    float? ValidationAccuracy,
    float LearningRate,
    TimeSpan Elapsed,
    double SamplesPerSecond);
