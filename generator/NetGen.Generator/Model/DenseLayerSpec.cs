namespace NetGen.Generator.Model;

/// <summary>
/// A fully connected layer: z = x·W + b, a = f(z), with W stored input-major [Inputs × Outputs] and b [Outputs] after it.
/// </summary>
internal sealed record DenseLayerSpec(int Number, TensorShape Input, TensorShape Output, ActivationKind Activation)
    : LayerSpec(Number, Input, Output, Activation)
{
    public int Inputs => Input.Length;

    public int Outputs => Output.Length;

    public int WeightCount => Inputs * Outputs;

    public override long Parameters => (long)Inputs * Outputs + Outputs;

    public override string Describe() => $"Dense({Outputs},{Activation})";
}
