namespace NetGen.Generator.Model;

/// <summary>
/// A fully connected layer: z = x·W + b, a = f(z), with W stored input-major [Inputs × Outputs] and b [Outputs] after it.
/// </summary>
/// <param name="FlattensImage">
/// Whether it reads an image (the input, or a convolution's or a pool's output, even at 1 × 1) and flattens it in
/// (C, H, W) order; its values are stored in that order already, so only the PyTorch twin and LayerInfo say so.
/// </param>
internal sealed record DenseLayerSpec(int Number, TensorShape Input, TensorShape Output, ActivationKind Activation, bool FlattensImage)
    : LayerSpec(Number, Input, Output, Activation)
{
    public int Inputs => Input.Length;

    public int Outputs => Output.Length;

    public int WeightCount => Inputs * Outputs;

    public override long Parameters => (long)Inputs * Outputs + Outputs;

    public override string Describe() => $"Dense({Outputs},{Activation})";
}
