namespace NetGen;

/// <summary>
/// One Dense layer of a generated network: its size, and where its weights [<paramref name="Inputs"/> ×
/// <paramref name="Outputs"/>] (row-major) and biases [<paramref name="Outputs"/>] start in
/// <see cref="INetwork.Parameters"/> and <see cref="INetwork.Gradients"/>.
/// </summary>
public readonly record struct LayerShape(int Inputs, int Outputs, int WeightsOffset, int BiasesOffset);
