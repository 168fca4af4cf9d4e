using System;

namespace NetGen;

/// <summary>How <see cref="Trainer{TNetwork}"/> runs: epochs, mini-batches, learning rate, regularization, clipping, stopping.</summary>
public sealed record TrainingOptions
{
    /// <summary>The most passes over the training set. Default 10.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Samples per gradient step; the gradient is their mean. Default 32.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>η, the base step size; <see cref="Schedule"/> derives each epoch's rate from it. Default 0.01.</summary>
    public float LearningRate { get; init; } = 0.01f;

    /// <summary>How the learning rate changes from epoch to epoch. Default constant.</summary>
    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Constant;

    /// <summary>λ₁: adds λ₁·‖p‖₁ to the loss, i.e. λ₁·sign(p) to every gradient. Default 0.</summary>
    public float L1 { get; init; }

    /// <summary>λ₂: adds (λ₂/2)·‖p‖² to the loss, i.e. λ₂·p to every gradient (PyTorch's <c>weight_decay</c>). Default 0.</summary>
    public float L2 { get; init; }

    /// <summary>Clamps every gradient to [−ClipValue, ClipValue] (<c>clip_grad_value_</c>). Default none.</summary>
    public float? ClipValue { get; init; }

    /// <summary>Rescales the gradient so its global L2 norm is at most ClipNorm (<c>clip_grad_norm_</c>). Default none.</summary>
    public float? ClipNorm { get; init; }

    /// <summary>Stops early on a plateau or a target; needs nothing else, but watches the validation set when given one.</summary>
    public EarlyStopping? EarlyStopping { get; init; }

    /// <summary>Seeds the shuffling, so that a single-threaded run repeats bit for bit. Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>Visits the samples in a fresh seeded order each epoch. Default true.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>
    /// Threads that share each mini-batch, as <see cref="Split"/> says. A run repeats bit for bit for a given thread
    /// count; split by samples it matches a single thread up to float summation order, split by outputs exactly
    /// (but for the order of <see cref="ClipNorm"/>'s sum). Set, it is used as given (up to the batch size).
    /// Default (null): the trainer decides, split by samples, from the work in a step: no more threads than
    /// <see cref="Environment.ProcessorCount"/> and than the batch has rows worth a chunk each, and, step by step, fewer
    /// while other processes keep cores busy (that choice changes the speed only, never the result). Split by outputs:
    /// <see cref="Environment.ProcessorCount"/>.
    /// </summary>
    public int? Threads { get; init; }

    /// <summary>
    /// How the threads share a mini-batch: by samples (the default) or by each layer's outputs, which keeps every
    /// parameter on one core and gives the same parameters as a single thread. See <see cref="ThreadSplit"/>.
    /// </summary>
    public ThreadSplit Split { get; init; } = ThreadSplit.Samples;

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

        if (Threads is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Threads), Threads, "Training needs at least one thread.");
        }

        if (!Enum.IsDefined(Split))
        {
            throw new ArgumentOutOfRangeException(nameof(Split), Split, "Split must be ThreadSplit.Samples or ThreadSplit.Outputs.");
        }

        RequirePositive(LearningRate, nameof(LearningRate));
        ArgumentNullException.ThrowIfNull(Schedule, nameof(Schedule));
        RequireNonNegative(L1, nameof(L1));
        RequireNonNegative(L2, nameof(L2));
        if (ClipValue is float value)
        {
            RequirePositive(value, nameof(ClipValue));
        }

        if (ClipNorm is float norm)
        {
            RequirePositive(norm, nameof(ClipNorm));
        }

        EarlyStopping?.Validate();
    }

    private static void RequirePositive(float value, string name)
    {
        if (!(value > 0f) || float.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a positive finite number.");
        }
    }

    private static void RequireNonNegative(float value, string name)
    {
        if (!(value >= 0f) || float.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be zero or a positive finite number.");
        }
    }
}
