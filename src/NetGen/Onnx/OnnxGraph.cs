using System;
using System.Collections.Generic;

namespace NetGen;

/// <summary>
/// The ONNX graph of a network, decided before a byte is written: the nodes of each layer, the parameter blocks they
/// read as initializers, and the names that connect them. <see cref="OnnxWriter"/> encodes it.
/// </summary>
/// <remarks>
/// Every value has the batch first, as <see cref="INetwork.ForwardBatch"/> lays its rows: an image [N, C, H, W] as
/// PyTorch has it, a vector [N, features]. The graph takes images when its first layer reads one (its input shape is
/// not flat, or it is a convolution or pooling layer) and vectors otherwise; a Dense layer that reads an image flattens
/// it first, in (C, H, W) order as NetGen does. A layer kind adds its nodes in <see cref="AddLayer"/>, its one place.
/// </remarks>
internal sealed class OnnxGraph
{
    /// <summary>The graph input: [N, <see cref="InputDimensions"/>].</summary>
    public const string InputName = "input";

    /// <summary>The graph output: [N, <see cref="OutputDimensions"/>].</summary>
    public const string OutputName = "output";

    /// <summary>The symbolic batch dimension of <see cref="InputName"/> and <see cref="OutputName"/>.</summary>
    public const string BatchDimension = "N";

    private readonly List<OnnxNode> _nodes = new();
    private readonly List<OnnxInitializer> _initializers = new();

    private OnnxGraph(int[] inputDimensions)
    {
        InputDimensions = inputDimensions;
        OutputDimensions = inputDimensions;
    }

    /// <summary>The input's dimensions after the batch: [features], or [C, H, W] for images.</summary>
    public IReadOnlyList<int> InputDimensions { get; }

    /// <summary>The output's dimensions after the batch: [features], or [C, H, W] when the last layer writes images.</summary>
    public IReadOnlyList<int> OutputDimensions { get; private set; }

    /// <summary>The nodes in execution order; the last one writes <see cref="OutputName"/>.</summary>
    public IReadOnlyList<OnnxNode> Nodes => _nodes;

    /// <summary>The parameter tensors, each a block of <see cref="INetwork.Parameters"/>.</summary>
    public IReadOnlyList<OnnxInitializer> Initializers => _initializers;

    /// <summary>Lays out the graph of <paramref name="network"/>'s layers, input side first.</summary>
    /// <exception cref="ArgumentException">The network has no layers, or their sizes do not chain from input to output.</exception>
    /// <exception cref="NotSupportedException">A layer kind or activation has no ONNX mapping yet.</exception>
    public static OnnxGraph FromNetwork(INetwork network)
    {
        IReadOnlyList<LayerInfo> layers = network.Layers;
        if (layers.Count == 0)
        {
            throw new ArgumentException("The network has no layers to export.", nameof(network));
        }

        LayerInfo first = layers[0];
        bool images = !first.InputShape.IsFlat || ReadsImages(first.Kind);
        if (first.InputShape.Length != network.InputSize)
        {
            throw new ArgumentException($"Layer {first.Index} reads {first.InputShape.Length} values per sample, but InputSize is {network.InputSize}.", nameof(network));
        }

        var graph = new OnnxGraph(Dimensions(first.InputShape, images));
        var value = new Value(InputName, images);
        int features = network.InputSize;
        foreach (LayerInfo layer in layers)
        {
            if (layer.InputShape.Length != features)
            {
                throw new ArgumentException($"Layer {layer.Index} reads {layer.InputShape.Length} values per sample, but {features} reach it.", nameof(network));
            }

            value = graph.AddLayer(layer, value);
            value = value with { Name = graph.AddActivation(layer, value.Name) };
            features = layer.OutputShape.Length;
        }

        if (features != network.OutputSize)
        {
            throw new ArgumentException($"The last layer writes {features} values per sample, but OutputSize is {network.OutputSize}.", nameof(network));
        }

        graph.OutputDimensions = Dimensions(layers[^1].OutputShape, value.IsImage);
        if (value.Name == InputName)
        {
            // Only layers that are the identity at inference (dropout): the graph still needs a node.
            graph._nodes.Add(new OnnxNode("Identity", "/Identity", [InputName], OutputName, []));
        }
        else
        {
            // The last node writes the graph output directly, so that no Identity node is needed.
            graph._nodes[^1] = graph._nodes[^1] with { Output = OutputName };
        }

        return graph;
    }

    /// <summary>Adds the nodes of <paramref name="layer"/> before its activation; returns their output.</summary>
    private Value AddLayer(LayerInfo layer, Value input)
    {
        switch (layer.Kind)
        {
            case LayerKind.Dense:
                // NetGen flattens an image in (C, H, W) order, as Flatten with axis 1 does. z = x·W + b: NetGen's weight
                // block is [inputs, outputs], which is Gemm's B untransposed (transB = 0, the default); the bias
                // [outputs] broadcasts over the batch as Gemm's C.
                string rows = input.IsImage ? AddNode(layer, "Flatten", [input.Name], OnnxAttribute.Int("axis", 1)) : input.Name;
                return new Value(AddNode(layer, "Gemm", rows, AddInitializer(layer, layer.Parameters[0]), AddInitializer(layer, layer.Parameters[1])), false);
            case LayerKind.Conv2D:
                // W [filters, C, K, K] and B [filters] are NetGen's blocks as they are; pads are begin and end of H, then W.
                RequireImages(layer, input);
                return new Value(
                    AddNode(
                        layer,
                        "Conv",
                        [input.Name, AddInitializer(layer, layer.Parameters[0]), AddInitializer(layer, layer.Parameters[1])],
                        OnnxAttribute.Ints("kernel_shape", layer.KernelSize, layer.KernelSize),
                        OnnxAttribute.Ints("strides", layer.Stride, layer.Stride),
                        OnnxAttribute.Ints("pads", layer.Padding, layer.Padding, layer.Padding, layer.Padding)),
                    true);
            case LayerKind.MaxPool2D or LayerKind.AvgPool2D:
                RequireImages(layer, input);
                return new Value(
                    AddNode(
                        layer,
                        layer.Kind == LayerKind.MaxPool2D ? "MaxPool" : "AveragePool",
                        [input.Name],
                        OnnxAttribute.Ints("kernel_shape", layer.KernelSize, layer.KernelSize),
                        OnnxAttribute.Ints("strides", layer.Stride, layer.Stride)),
                    true);
            case LayerKind.Dropout:
                // The graph is the evaluation function, where dropout is the identity: no node.
                return input;
            default:
                throw new NotSupportedException($"ONNX export does not support {layer.Kind} layers yet (layer {layer.Index}).");
        }
    }

    /// <summary>Adds the node of <paramref name="layer"/>'s activation, if it has one; returns the name of its output.</summary>
    private string AddActivation(LayerInfo layer, string input) => layer.Activation switch
    {
        Activation.Identity => input,
        Activation.Sigmoid => AddNode(layer, "Sigmoid", input),
        Activation.Tanh => AddNode(layer, "Tanh", input),
        Activation.ReLU => AddNode(layer, "Relu", input),
        Activation.LeakyReLU => AddNode(layer, "LeakyRelu", [input], OnnxAttribute.Float("alpha", Activations.LeakySlope)),

        // Forward returns the probabilities (the CrossEntropy loss works from the logits on its own), so the graph
        // computes them too, over the features of each sample.
        Activation.Softmax => AddNode(layer, "Softmax", [input], OnnxAttribute.Int("axis", 1)),
        _ => throw new NotSupportedException($"ONNX export does not support the {layer.Activation} activation yet (layer {layer.Index})."),
    };

    /// <summary>Whether a layer of <paramref name="kind"/> needs its input as [N, C, H, W].</summary>
    private static bool ReadsImages(LayerKind kind) => kind is LayerKind.Conv2D or LayerKind.MaxPool2D or LayerKind.AvgPool2D;

    private static void RequireImages(LayerInfo layer, Value input)
    {
        if (!input.IsImage)
        {
            throw new NotSupportedException($"ONNX export does not support a {layer.Kind} layer that reads a flat vector (layer {layer.Index}).");
        }
    }

    private static int[] Dimensions(TensorShape shape, bool image) =>
        image ? [shape.Channels, shape.Height, shape.Width] : [shape.Length];

    private string AddNode(LayerInfo layer, string opType, params string[] inputs) => AddNode(layer, opType, inputs, Array.Empty<OnnxAttribute>());

    private string AddNode(LayerInfo layer, string opType, string[] inputs, params OnnxAttribute[] attributes)
    {
        // PyTorch's exporter names its nodes and values the same way: /layer0/Gemm writes /layer0/Gemm_output_0.
        string name = $"/layer{layer.Index}/{opType}";
        var node = new OnnxNode(opType, name, inputs, name + "_output_0", attributes);
        _nodes.Add(node);
        return node.Output;
    }

    private string AddInitializer(LayerInfo layer, ParameterBlock block)
    {
        var initializer = new OnnxInitializer($"layer{layer.Index}.{block.Name}", block);
        _initializers.Add(initializer);
        return initializer.Name;
    }

    /// <summary>A value of the graph between nodes: its name and whether it is [N, C, H, W] rather than [N, features].</summary>
    private readonly record struct Value(string Name, bool IsImage);
}

/// <summary>One ONNX node: an operator of the default domain, its inputs, its one output and its attributes.</summary>
internal sealed record OnnxNode(string OpType, string Name, IReadOnlyList<string> Inputs, string Output, IReadOnlyList<OnnxAttribute> Attributes);

/// <summary>A float tensor of the graph's constants: <see cref="Block"/> of <see cref="INetwork.Parameters"/>, in its shape.</summary>
internal sealed record OnnxInitializer(string Name, ParameterBlock Block);

/// <summary>A node attribute: an INT, a FLOAT or a list of INTS; <see cref="Type"/> is ONNX's AttributeType.</summary>
internal sealed record OnnxAttribute(string Name, OnnxAttributeType Type, long IntValue, float FloatValue, IReadOnlyList<long> IntValues)
{
    /// <summary>An INT attribute.</summary>
    public static OnnxAttribute Int(string name, long value) => new(name, OnnxAttributeType.Int, value, 0f, []);

    /// <summary>A FLOAT attribute.</summary>
    public static OnnxAttribute Float(string name, float value) => new(name, OnnxAttributeType.Float, 0, value, []);

    /// <summary>An INTS attribute.</summary>
    public static OnnxAttribute Ints(string name, params long[] values) => new(name, OnnxAttributeType.Ints, 0, 0f, values);
}

/// <summary>The attribute types NetGen writes, with their numbers in onnx.proto's <c>AttributeProto.AttributeType</c>.</summary>
internal enum OnnxAttributeType
{
    /// <summary>One float, in field <c>f</c>.</summary>
    Float = 1,

    /// <summary>One integer, in field <c>i</c>.</summary>
    Int = 2,

    /// <summary>A list of integers, each in a field <c>ints</c>.</summary>
    Ints = 7,
}
