namespace NetGen.Generator.Model;

/// <summary>
/// One validated layer: what it computes and the shapes it reads and writes for one sample. Each kind is its own record
/// (<see cref="DenseLayerSpec"/> so far); where its data sits is the layout's business (<see cref="LayerLayout"/>).
/// </summary>
/// <param name="Number">1 for the first layer after the input.</param>
/// <param name="Input">The shape the layer reads.</param>
/// <param name="Output">The shape the layer writes.</param>
/// <param name="Activation">The activation applied to its output; Identity for none.</param>
internal abstract record LayerSpec(int Number, TensorShape Input, TensorShape Output, ActivationKind Activation)
{
    /// <summary>
    /// The layer's parameter count in 64 bits, so that validation can judge a declaration before its sizes are known to
    /// fit an <see cref="int"/>.
    /// </summary>
    public abstract long Parameters { get; }

    /// <summary>The layer's parameters, all contiguous in the parameter buffer; valid once validation has passed.</summary>
    public int ParameterCount => (int)Parameters;

    /// <summary>The layer in the canonical architecture text, e.g. <c>Dense(128,ReLU)</c>.</summary>
    public abstract string Describe();
}
