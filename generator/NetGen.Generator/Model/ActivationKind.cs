namespace NetGen.Generator.Model;

/// <summary>Mirrors <c>NetGen.Activation</c> value for value; the generator reads attribute arguments as these numbers.</summary>
internal enum ActivationKind
{
    Identity,
    Sigmoid,
    Tanh,
    ReLU,
    LeakyReLU,
    Softmax,
}
