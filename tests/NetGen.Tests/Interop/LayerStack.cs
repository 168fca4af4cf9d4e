using System;
using System.Collections.Generic;

namespace NetGen.Tests.Interop;

/// <summary>
/// Builds an <see cref="INetwork.Layers"/> list by hand, laid out as the generator lays it: layers input side first,
/// each layer's weight block then its bias block, no gaps. For the interop mappings of layer kinds before a generated
/// class declares them.
/// </summary>
internal sealed class LayerStack
{
    private readonly List<LayerInfo> _layers = new();
    private TensorShape _shape;
    private int _parameters;

    // Whether the values are an image a Dense layer flattens: an image input, or a convolution's or a pool's output.
    private bool _image;

    public LayerStack(TensorShape input)
    {
        Input = input;
        _shape = input;
        _image = !input.IsFlat;
    }

    public TensorShape Input { get; }

    public IReadOnlyList<LayerInfo> Layers => _layers;

    public int ParameterCount => _parameters;

    public LayerStack Conv2D(int filters, int kernelSize, Activation activation, int stride = 1, int padding = 0)
    {
        int weights = filters * _shape.Channels * kernelSize * kernelSize;
        _image = true;
        return Add(LayerInfo.Conv2D(_layers.Count, _shape, filters, kernelSize, stride, padding, activation, _parameters, _parameters + weights));
    }

    public LayerStack MaxPool2D(int size, int? stride = null) => Add(LayerInfo.Pool2D(_layers.Count, LayerKind.MaxPool2D, _shape, size, stride ?? size));

    public LayerStack AvgPool2D(int size, int? stride = null) => Add(LayerInfo.Pool2D(_layers.Count, LayerKind.AvgPool2D, _shape, size, stride ?? size));

    public LayerStack Dropout(float rate) => Add(LayerInfo.Dropout(_layers.Count, _shape, rate));

    public LayerStack Dense(int outputs, Activation activation)
    {
        int biases = _parameters + _shape.Length * outputs;
        LayerInfo dense = _image
            ? LayerInfo.Dense(_layers.Count, _shape, outputs, activation, _parameters, biases)
            : LayerInfo.Dense(_layers.Count, _shape.Length, outputs, activation, _parameters, biases);
        _image = false;
        return Add(dense);
    }

    /// <summary>A network over these layers whose parameters are drawn from <paramref name="seed"/>, weights and biases alike.</summary>
    public LayerListNetwork Build(Loss loss, int seed)
    {
        var network = new LayerListNetwork(_layers.ToArray(), Input, loss);
        var random = new SeededRandom(seed);
        foreach (ref float parameter in network.Parameters)
        {
            parameter = random.NextSymmetric(0.5f);
        }

        return network;
    }

    private LayerStack Add(LayerInfo layer)
    {
        _layers.Add(layer);
        _shape = layer.OutputShape;
        _parameters += layer.ParameterCount;
        return this;
    }

    /// <summary>The LeNet-5 of the PyTorch fixtures: 1×28×28, two conv/pool stages, 120-84-10.</summary>
    public static LayerStack LeNet5() =>
        new LayerStack(new TensorShape(1, 28, 28))
            .Conv2D(6, 5, Activation.ReLU).MaxPool2D(2)
            .Conv2D(16, 5, Activation.ReLU).MaxPool2D(2)
            .Dense(120, Activation.ReLU).Dense(84, Activation.ReLU).Dense(10, Activation.Softmax);

    /// <summary>Odd sizes, stride 2 and padding 1, and a pool whose stride is not its size.</summary>
    public static LayerStack OddSizeCnn() =>
        new LayerStack(new TensorShape(3, 9, 7))
            .Conv2D(4, 3, Activation.Tanh, stride: 2, padding: 1).AvgPool2D(2, stride: 1)
            .Dense(5, Activation.Sigmoid);

    /// <summary>Dropout over an image and over a vector.</summary>
    public static LayerStack DropoutCnn() =>
        new LayerStack(new TensorShape(2, 8, 8))
            .Conv2D(3, 3, Activation.ReLU).MaxPool2D(3, stride: 1).Dropout(0.25f)
            .Dense(6, Activation.Tanh).Dropout(0.5f).Dense(3, Activation.Softmax);
}

/// <summary>
/// An <see cref="INetwork"/> over a <see cref="LayerStack"/>'s layers whose forward pass is <see cref="NaiveCnn"/>:
/// enough for the interop mappings (layers, parameters, gradients, forward) before a generated class exists.
/// Training passes are not there.
/// </summary>
internal sealed class LayerListNetwork : INetwork
{
    private readonly LayerInfo[] _layers;
    private readonly float[] _parameters, _gradients;

    public LayerListNetwork(LayerInfo[] layers, TensorShape input, Loss loss)
    {
        _layers = layers;
        LayerInfo last = layers[^1];
        _parameters = new float[Count(layers)];
        _gradients = new float[_parameters.Length];
        InputSize = input.Length;
        OutputSize = last.OutputShape.Length;
        Architecture = $"Input({input}) {string.Join(" ", Array.ConvertAll(layers, layer => $"{layer.Kind}({layer.OutputShape},{layer.Activation})"))} Loss={loss}";
    }

    public IReadOnlyList<LayerInfo> Layers => _layers;
    public int InputSize { get; }
    public int OutputSize { get; }
    public int ParameterCount => _parameters.Length;
    public string Architecture { get; }
    public ulong ArchitectureFingerprint => 0;
    public Span<float> Parameters => _parameters;
    public Span<float> Gradients => _gradients;
    public NetworkMode Mode { get; set; }

    public void Forward(ReadOnlySpan<float> input, Span<float> output) => NaiveCnn.Forward(_layers, _parameters, input, output);

    public void ForwardBatch(BatchWorkspace workspace, ReadOnlySpan<float> inputs, Span<float> outputs)
    {
        for (int sample = 0; sample < inputs.Length / InputSize; sample++)
        {
            Forward(inputs.Slice(sample * InputSize, InputSize), outputs.Slice(sample * OutputSize, OutputSize));
        }
    }

    public float Backward(ReadOnlySpan<float> target) => throw new NotSupportedException();
    public float EvaluateLoss(ReadOnlySpan<float> target) => throw new NotSupportedException();
    public void ZeroGradients() => Array.Clear(_gradients);
    public void InitializeParameters(int seed) => throw new NotSupportedException();
    public BatchWorkspace CreateWorkspace(int capacity) => throw new NotSupportedException();
    public float BackwardBatch(BatchWorkspace workspace, ReadOnlySpan<float> targets) => throw new NotSupportedException();
    public float EvaluateLossBatch(BatchWorkspace workspace, ReadOnlySpan<float> targets) => throw new NotSupportedException();
    public void ForwardLayerBatch(BatchWorkspace workspace, int layer, int firstOutput, int endOutput) => throw new NotSupportedException();
    public float OutputLossBatch(BatchWorkspace workspace, ReadOnlySpan<float> targets, Span<float> outputs, int firstRow, int endRow) =>
        throw new NotSupportedException();
    public void WeightGradientsBatch(BatchWorkspace workspace, int layer, int firstOutput, int endOutput) => throw new NotSupportedException();
    public void InputDeltaBatch(BatchWorkspace workspace, int layer, int firstInput, int endInput) => throw new NotSupportedException();

    private static int Count(LayerInfo[] layers)
    {
        int count = 0;
        foreach (LayerInfo layer in layers)
        {
            count += layer.ParameterCount;
        }

        return count;
    }
}
