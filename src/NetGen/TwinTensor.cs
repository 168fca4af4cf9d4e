using System.Collections.Generic;

namespace NetGen;

/// <summary>
/// One tensor of a network's <see cref="PyTorchTwin"/>: its <c>state_dict</c> name, the block it lives in and whether
/// PyTorch stores it transposed (a Dense weight: NetGen's [inputs, outputs] is <c>nn.Linear.weight</c>'s [outputs, inputs]).
/// </summary>
internal sealed record TwinTensor(string Name, ParameterBlock Block, bool Transposed)
{
    /// <summary>The tensor's shape as PyTorch has it.</summary>
    public long[] Shape
    {
        get
        {
            var shape = new long[Block.Shape.Count];
            for (int axis = 0; axis < shape.Length; axis++)
            {
                shape[axis] = Block.Shape[Transposed ? shape.Length - 1 - axis : axis];
            }

            return shape;
        }
    }

    /// <summary>Where element <paramref name="index"/> of the PyTorch tensor (row-major) sits in the parameter buffer.</summary>
    public int StorageIndex(int index)
    {
        if (!Transposed)
        {
            return Block.Offset + index;
        }

        // PyTorch [outputs, inputs]: index = output·inputs + input; NetGen [inputs, outputs]: input·outputs + output.
        IReadOnlyList<int> shape = Block.Shape;
        int inputs = shape[0], outputs = shape[1];
        int output = index / inputs, input = index % inputs;
        return Block.Offset + input * outputs + output;
    }
}
