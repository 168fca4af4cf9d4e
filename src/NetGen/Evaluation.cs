namespace NetGen;

/// <summary>A network's mean loss and accuracy on a dataset.</summary>
/// <param name="Loss">The mean per-sample loss.</param>
/// <param name="Accuracy">
/// The fraction of samples classified correctly: arg max of output against arg max of target for several outputs,
/// output ≥ 0.5 against target ≥ 0.5 for one output.
/// </param>
/// <param name="Count">The number of samples.</param>
public readonly record struct Evaluation(float Loss, float Accuracy, int Count);
