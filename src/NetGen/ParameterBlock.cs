using System;
using System.Collections.Generic;

namespace NetGen;

/// <summary>
/// One tensor of a layer's parameters inside <see cref="INetwork.Parameters"/> (and, at the same place,
/// <see cref="INetwork.Gradients"/>): its name, where it starts and its shape in row-major order.
/// </summary>
public sealed class ParameterBlock
{
    private readonly int[] _shape;

    /// <summary>Describes a block of <paramref name="shape"/>'s product values starting at <paramref name="offset"/>.</summary>
    public ParameterBlock(string name, int offset, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(shape);
        Name = name;
        Offset = offset;
        _shape = (int[])shape.Clone();
        int length = 1;
        foreach (int size in _shape)
        {
            length *= size;
        }

        Length = length;
    }

    /// <summary>PyTorch's name for the tensor: <c>weight</c> or <c>bias</c>.</summary>
    public string Name { get; }

    /// <summary>Where the block starts in <see cref="INetwork.Parameters"/>.</summary>
    public int Offset { get; }

    /// <summary>The number of values.</summary>
    public int Length { get; }

    /// <summary>
    /// The dimensions, outermost first. A Dense weight is <c>[inputs, outputs]</c> (input-major, as a Keras kernel: the
    /// transpose of PyTorch's <c>nn.Linear.weight</c>); a bias is <c>[outputs]</c>.
    /// </summary>
    public IReadOnlyList<int> Shape => _shape;

    /// <inheritdoc/>
    public override string ToString() => $"{Name} [{string.Join(", ", _shape)}] at {Offset}";
}
