using System;

namespace NetGen;

/// <summary>What one epoch of training measured.</summary>
/// <param name="Epoch">1 for the first epoch.</param>
/// <param name="TrainingLoss">The mean per-sample loss over the epoch's mini-batches, taken before each step.</param>
/// <param name="Elapsed">Wall time since training started.</param>
/// <param name="SamplesPerSecond">Training samples processed per second in this epoch.</param>
public readonly record struct EpochReport(int Epoch, float TrainingLoss, TimeSpan Elapsed, double SamplesPerSecond);
