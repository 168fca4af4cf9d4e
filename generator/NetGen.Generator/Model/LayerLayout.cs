namespace NetGen.Generator.Model;

/// <summary>
/// Where one layer's data sits and how its code is shaped, decided once by the layout step so that emitters read the
/// decisions instead of making them. Offsets are in elements; the batched arenas hold <c>capacity</c> rows per slot.
/// </summary>
/// <param name="ParameterOffset">Where the layer's parameters start in Parameters (and Gradients).</param>
/// <param name="OutputOffset">Where its output a = f(z) sits in the activation arena; the next layer reads it there.</param>
/// <param name="LogitsOffset">Where its pre-activation z is kept for the loss, or −1 when nothing needs it.</param>
/// <param name="DeltaOffset">Where dLoss/d(its output) sits in the delta arena; its backward turns it into dLoss/dz in place.</param>
/// <param name="InputDeltaOffset">Where its backward writes dLoss/d(its input): the previous layer's delta slot, or −1 for the first layer.</param>
/// <param name="AppliesOwnDerivative">
/// False for the output layer: every loss hands it dLoss/dz, fusing the output activation's derivative (exactly so for
/// Softmax with CrossEntropy and Sigmoid with BinaryCrossEntropy, where the fused form is also the stable one).
/// </param>
/// <param name="Unrolled">
/// Whether the single-sample forward pass is written out statement by statement (the latency path of a small network);
/// the backward passes and the batched forward call the kernels whatever the size.
/// </param>
/// <param name="MaskOffset">Where a dropout layer keeps its mask (0 or 1/(1 − rate) per output) for its backward, or −1.</param>
/// <param name="TransposeOffset">
/// Where the batched passes keep Wᵀ in workspace scratch, or −1: layers narrower than 32 outputs compute their batched
/// forward as dot products along the inputs and their input delta as a broadcast product, both from Wᵀ.
/// </param>
internal sealed record LayerLayout(
    int ParameterOffset,
    int OutputOffset,
    int LogitsOffset,
    int DeltaOffset,
    int InputDeltaOffset,
    bool AppliesOwnDerivative,
    bool Unrolled,
    int MaskOffset,
    int TransposeOffset)
{
    public bool KeepsLogits => LogitsOffset >= 0;

    public bool UsesTransposedWeights => TransposeOffset >= 0;

    public bool HasInputDelta => InputDeltaOffset >= 0;
}
