namespace NetGen;

/// <summary>The per-sample loss that <c>Backward</c> returns and differentiates. Each equals PyTorch's.</summary>
public enum Loss
{
    /// <summary>Mean over the output vector of (y − t)², as <c>nn.MSELoss()</c>.</summary>
    MeanSquaredError,

    /// <summary>
    /// Mean over the outputs of −(t·log y + (1 − t)·log(1 − y)) on a Sigmoid output layer, as <c>nn.BCELoss()</c>.
    /// Computed from the logits, so saturated outputs give finite losses and exact gradients.
    /// </summary>
    BinaryCrossEntropy,

    /// <summary>
    /// −Σᵢ tᵢ·log softmax(z)ᵢ on a Softmax output layer, as <c>nn.CrossEntropyLoss()</c> with one-hot or probability
    /// targets. Fused with the Softmax and computed with the log-sum-exp shift.
    /// </summary>
    CrossEntropy,
}
