namespace NetGen;

/// <summary>
/// Whether a network computes its training or its evaluation function. They differ only for layers such as dropout
/// and normalization; <see cref="Trainer{TNetwork}"/> sets <see cref="Training"/> for its steps and
/// <see cref="Evaluation"/> for validation and <see cref="Trainer{TNetwork}.Evaluate"/>.
/// </summary>
public enum NetworkMode
{
    /// <summary>Inference: deterministic, the mode a new network starts in.</summary>
    Evaluation,

    /// <summary>Training steps: stochastic layers draw their masks.</summary>
    Training,
}
