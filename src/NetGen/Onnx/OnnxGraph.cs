using System;
using System.Collections.Generic;

namespace NetGen;

/// <summary>
/// The ONNX graph of a network, decided before a byte is written: one or two nodes per layer, the parameter blocks they
/// read as initializers, and the names that connect them. <see cref="OnnxWriter"/> encodes it.
/// </summary>
/// <remarks>
/// Every value is a float tensor [N, features] with the batch first, as <see cref="INetwork.ForwardBatch"/> lays its
/// rows. A layer kind adds its nodes in <see cref="AddLayer"/>, its one place; a kind whose samples are not flat
/// (a convolution reading C×H×W) will reshape the [N, features] value there first.
/// </remarks>
internal sealed class OnnxGraph
{
    /// <summary>The graph input: [N, <see cref="INetwork.InputSize"/>].</summary>
    public const string InputName = "input";

    /// <summary>The graph output: [N, <see cref="INetwork.OutputSize"/>].</summary>
    public const string OutputName = "output";

    /// <summary>The symbolic batch dimension of <see cref="InputName"/> and <see cref="OutputName"/>.</summary>
    public const string BatchDimension = "N";

    private readonly List<OnnxNode> _nodes = new();
    private readonly List<OnnxInitializer> _initializers = new();

    private OnnxGraph(int inputSize, int outputSize)
    {
        InputSize = inputSize;
        OutputSize = outputSize;
    }

    /// <summary>Features per sample of the input.</summary>
    public int InputSize { get; }

    /// <summary>Features per sample of the output.</summary>
    public int OutputSize { get; }

    /// <summary>The nodes in execution order; the last one writes <see cref="OutputName"/>.</summary>
    public IReadOnlyList<OnnxNode> Nodes => _nodes;

    /// <summary>The parameter tensors, each a block of <see cref="INetwork.Parameters"/>.</summary>
    public IReadOnlyList<OnnxInitializer> Initializers => _initializers;

    /// <summary>Lays out the graph of <paramref name="network"/>'s layers, input side first.</summary>
    /// <exception cref="ArgumentException">The network has no layers, or their sizes do not chain from input to output.</exception>
    /// <exception cref="NotSupportedException">A layer kind or activation has no ONNX mapping yet.</exception>
    public static OnnxGraph FromNetwork(INetwork network)
    {
        var graph = new OnnxGraph(network.InputSize, network.OutputSize);
        IReadOnlyList<LayerInfo> layers = network.Layers;
        if (layers.Count == 0)
        {
            throw new ArgumentException("The network has no layers to export.", nameof(network));
        }

        string value = InputName;
        int features = network.InputSize;
        foreach (LayerInfo layer in layers)
        {
            if (layer.InputShape.Length != features)
            {
                throw new ArgumentException($"Layer {layer.Index} reads {layer.InputShape.Length} values per sample, but {features} reach it.", nameof(network));
            }

            value = graph.AddActivation(layer, graph.AddLayer(layer, value));
            features = layer.OutputShape.Length;
        }

        if (features != network.OutputSize)
        {
            throw new ArgumentException($"The last layer writes {features} values per sample, but OutputSize is {network.OutputSize}.", nameof(network));
        }

        // The last node writes the graph output directly, so that no Identity node is needed.
        OnnxNode last = graph._nodes[^1];
        graph._nodes[^1] = last with { Output = OutputName };
        return graph;
    }

    /// <summary>Adds the nodes of <paramref name="layer"/> before its activation; returns the name of their output.</summary>
    private string AddLayer(LayerInfo layer, string input)
    {
        switch (layer.Kind)
        {
            case LayerKind.Dense:
                // z = x·W + b. NetGen's weight block is [inputs, outputs], which is Gemm's B untransposed (transB = 0,
                // the default); the bias [outputs] broadcasts over the batch as Gemm's C.
                return AddNode(layer, "Gemm", input, AddInitializer(layer, layer.Parameters[0]), AddInitializer(layer, layer.Parameters[1]));
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
}

/// <summary>One ONNX node: an operator of the default domain, its inputs, its one output and its attributes.</summary>
internal sealed record OnnxNode(string OpType, string Name, IReadOnlyList<string> Inputs, string Output, IReadOnlyList<OnnxAttribute> Attributes);

/// <summary>A float tensor of the graph's constants: <see cref="Block"/> of <see cref="INetwork.Parameters"/>, in its shape.</summary>
internal sealed record OnnxInitializer(string Name, ParameterBlock Block);

/// <summary>A scalar node attribute, an INT or a FLOAT.</summary>
internal readonly record struct OnnxAttribute(string Name, bool IsFloat, long IntValue, float FloatValue)
{
    /// <summary>An INT attribute.</summary>
    public static OnnxAttribute Int(string name, long value) => new(name, false, value, 0f);

    /// <summary>A FLOAT attribute.</summary>
    public static OnnxAttribute Float(string name, float value) => new(name, true, 0, value);
}
