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
        if (index < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, "A layer index is zero or more.");
        }

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
    public static LayerInfo Dense(int index, int inputs, int outputs, Activation activation, int weightsOffset, int biasesOffset) =>
        CreateDense(index, TensorShape.Vector(Positive(inputs, nameof(inputs), "A Dense layer needs at least one input.")), outputs, activation, weightsOffset, biasesOffset, flattens: false);

    /// <summary>
    /// Describes Dense layer <paramref name="index"/> that reads an image of <paramref name="inputShape"/> (the network's
    /// input, or a convolution's or a pool's output, even at 1 × 1) and flattens it in (C, H, W) order: weights
    /// [C·H·W × outputs] then biases [outputs]. Its twin is <c>torch.nn.Flatten()</c> then <c>torch.nn.Linear</c>.
    /// </summary>
    public static LayerInfo Dense(int index, TensorShape inputShape, int outputs, Activation activation, int weightsOffset, int biasesOffset) =>
        CreateDense(index, inputShape, outputs, activation, weightsOffset, biasesOffset, flattens: true);

    private static LayerInfo CreateDense(int index, TensorShape inputShape, int outputs, Activation activation, int weightsOffset, int biasesOffset, bool flattens)
    {
        int inputs = CheckShape(inputShape, nameof(inputShape)).Length;
        Positive(outputs, nameof(outputs), "A Dense layer needs at least one output.");
        return new LayerInfo(
            index,
            LayerKind.Dense,
            inputShape,
            TensorShape.Vector(outputs),
            activation,
            new[] { new ParameterBlock("weight", weightsOffset, inputs, outputs), new ParameterBlock("bias", biasesOffset, outputs) })
        {
            FlattensInput = flattens,
        };
    }

    /// <summary>
    /// Describes Conv2D layer <paramref name="index"/>: weights [filters, C, kernel, kernel] (PyTorch's
    /// <c>Conv2d.weight</c> layout) then biases [filters].
    /// </summary>
    public static LayerInfo Conv2D(
        int index, TensorShape inputShape, int filters, int kernelSize, int stride, int padding, Activation activation, int weightsOffset, int biasesOffset)
    {
        CheckShape(inputShape, nameof(inputShape));
        Positive(filters, nameof(filters), "A convolution needs at least one filter.");
        var output = new TensorShape(
            filters,
            WindowCount(inputShape.Height + 2 * padding, kernelSize, stride, padding),
            WindowCount(inputShape.Width + 2 * padding, kernelSize, stride, padding));
        var parameters = new[]
        {
            new ParameterBlock("weight", weightsOffset, filters, inputShape.Channels, kernelSize, kernelSize),
            new ParameterBlock("bias", biasesOffset, filters),
        };
        return new LayerInfo(index, LayerKind.Conv2D, inputShape, output, activation, parameters)
        {
            KernelSize = kernelSize,
            Stride = stride,
            Padding = padding,
        };
    }

    /// <summary>Describes pooling layer <paramref name="index"/> (<see cref="LayerKind.MaxPool2D"/> or <see cref="LayerKind.AvgPool2D"/>).</summary>
    public static LayerInfo Pool2D(int index, LayerKind kind, TensorShape inputShape, int size, int stride)
    {
        if (kind is not (LayerKind.MaxPool2D or LayerKind.AvgPool2D))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "A pooling layer is MaxPool2D or AvgPool2D.");
        }

        CheckShape(inputShape, nameof(inputShape));
        var output = new TensorShape(
            inputShape.Channels, WindowCount(inputShape.Height, size, stride, 0), WindowCount(inputShape.Width, size, stride, 0));
        return new LayerInfo(index, kind, inputShape, output, Activation.Identity, Array.Empty<ParameterBlock>())
        {
            KernelSize = size,
            Stride = stride,
        };
    }

    /// <summary>Describes dropout layer <paramref name="index"/>, which keeps its input's shape.</summary>
    public static LayerInfo Dropout(int index, TensorShape shape, float rate)
    {
        CheckShape(shape, nameof(shape));
        if (!(rate >= 0 && rate < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "A dropout rate is in [0, 1).");
        }

        return new LayerInfo(index, LayerKind.Dropout, shape, shape, Activation.Identity, Array.Empty<ParameterBlock>()) { DropoutRate = rate };
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

    /// <summary>True for a Dense layer that reads an image and flattens it in (C, H, W) order, as <c>torch.flatten</c> does.</summary>
    public bool FlattensInput { get; private init; }

    /// <summary>The height and width of a convolution's filters or a pooling window; 0 for other kinds.</summary>
    public int KernelSize { get; private init; }

    /// <summary>The step of a convolution or pooling window; 0 for other kinds.</summary>
    public int Stride { get; private init; }

    /// <summary>The zeros a convolution adds on each side of its input; 0 for other kinds.</summary>
    public int Padding { get; private init; }

    /// <summary>The probability that dropout zeroes a value in training; 0 for other kinds.</summary>
    public float DropoutRate { get; private init; }

    private static int Positive(int value, string name, string message) =>
        value > 0 ? value : throw new ArgumentOutOfRangeException(name, value, message);

    private static TensorShape CheckShape(TensorShape shape, string name) =>
        shape.Channels > 0 && shape.Height > 0 && shape.Width > 0
            ? shape
            : throw new ArgumentOutOfRangeException(name, shape, "Every dimension of a layer's shape is positive.");

    /// <summary>How many windows of <paramref name="size"/> fit <paramref name="extent"/> (padding included) at <paramref name="stride"/>.</summary>
    private static int WindowCount(int extent, int size, int stride, int padding)
    {
        if (size <= 0 || stride <= 0 || padding < 0 || size > extent || (extent - size) % stride != 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(size), size, $"A window of {size} with stride {stride} and padding {padding} must fit the input's {extent} (padding included) a whole number of times.");
        }

        return (extent - size) / stride + 1;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Index}: {Kind} {InputShape} → {OutputShape} ({Activation})";
}
