using System;
using System.Collections.Generic;

namespace NetGen;

/// <summary>
/// One layer of a generated network as <see cref="INetwork.Layers"/> describes it: its kind, the shapes it reads and
/// writes for one sample, its activation and where its parameters sit.
/// </summary>
public sealed class LayerInfo
{
    private readonly ParameterBlock[] _parameters;

    private LayerInfo(int index, LayerKind kind, TensorShape inputShape, TensorShape outputShape, Activation activation, ParameterBlock[] parameters)
    {
        Index = index;
        Kind = kind;
        InputShape = inputShape;
        OutputShape = outputShape;
        Activation = activation;
        _parameters = parameters;
        if (parameters.Length > 0)
        {
            ParameterOffset = parameters[0].Offset;
            ParameterBlock last = parameters[parameters.Length - 1];
            ParameterCount = last.Offset + last.Length - ParameterOffset;
        }
    }

    /// <summary>Describes Dense layer <paramref name="index"/>: weights [inputs × outputs] then biases [outputs].</summary>
    public static LayerInfo Dense(int index, int inputs, int outputs, Activation activation, int weightsOffset, int biasesOffset)
    {
        if (inputs <= 0 || outputs <= 0)
        {
            throw new ArgumentOutOfRangeException(inputs <= 0 ? nameof(inputs) : nameof(outputs), "A Dense layer needs at least one input and one output.");
        }

        return new LayerInfo(
            index,
            LayerKind.Dense,
            TensorShape.Vector(inputs),
            TensorShape.Vector(outputs),
            activation,
            new[] { new ParameterBlock("weight", weightsOffset, inputs, outputs), new ParameterBlock("bias", biasesOffset, outputs) });
    }

    /// <summary>The zero-based position of the layer, input side first; the split passes take it.</summary>
    public int Index { get; }

    /// <summary>What the layer computes.</summary>
    public LayerKind Kind { get; }

    /// <summary>The shape of one sample's input.</summary>
    public TensorShape InputShape { get; }

    /// <summary>The shape of one sample's output.</summary>
    public TensorShape OutputShape { get; }

    /// <summary>The activation applied to the layer's output, <see cref="Activation.Identity"/> for none.</summary>
    public Activation Activation { get; }

    /// <summary>The layer's parameter tensors in storage order; empty for a layer without parameters.</summary>
    public IReadOnlyList<ParameterBlock> Parameters => _parameters;

    /// <summary>Where the layer's first parameter sits in <see cref="INetwork.Parameters"/>; 0 when it has none.</summary>
    public int ParameterOffset { get; }

    /// <summary>How many parameters the layer has, all contiguous from <see cref="ParameterOffset"/>.</summary>
    public int ParameterCount { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Index}: {Kind} {InputShape} → {OutputShape} ({Activation})";
}
