using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Interop.Tests;

/// <summary>
/// <see cref="Onnx.Save(INetwork, Stream)"/> against ONNX Runtime: the exported model must load and compute what
/// <see cref="INetwork.ForwardBatch"/> computes, element by element, and describe itself as documented.
/// </summary>
public sealed class OnnxExportTests
{
    /// <summary>Allowed |ONNX − NetGen| per element, relative to max(|NetGen|, <see cref="ToleranceFloor"/>).</summary>
    private const float RelativeTolerance = 1e-5f;

    /// <summary>
    /// Below this magnitude the allowed error stops shrinking with the value (to 1e-6): an output near zero that is
    /// the difference of larger terms carries their rounding whatever the summation order. Measured: 0.0071184626 from
    /// NetGen and 0.007118357 from ONNX Runtime (1.5e-5 relative) in MseDeepVector with Vector&lt;float&gt;.Count 4.
    /// </summary>
    private const float ToleranceFloor = 0.1f;

    private const int BatchSize = 29;

    private static readonly Dictionary<string, Func<INetwork>> s_networks = new()
    {
        [nameof(MseEveryActivation)] = () => new MseEveryActivation(),
        [nameof(MseLeakyReluOutput)] = () => new MseLeakyReluOutput(),
        [nameof(MseReluOutput)] = () => new MseReluOutput(),
        [nameof(MseTanhOutput)] = () => new MseTanhOutput(),
        [nameof(MseSigmoidOutput)] = () => new MseSigmoidOutput(),
        [nameof(BceXor)] = () => new BceXor(),
        [nameof(BceVector)] = () => new BceVector(),
        [nameof(CeSigmoidHidden)] = () => new CeSigmoidHidden(),
        [nameof(CeDeepUnrolled)] = () => new CeDeepUnrolled(),
        [nameof(CeDeepVector)] = () => new CeDeepVector(),
        [nameof(MseDeepVector)] = () => new MseDeepVector(),
        [nameof(Mnist64)] = () => new Mnist64(),
        [nameof(LeNet5)] = () => new LeNet5(),
        [nameof(OddSizeCnn)] = () => new OddSizeCnn(),
        [nameof(DropoutCnn)] = () => new DropoutCnn(),
    };

    private readonly ITestOutputHelper _output;

    public OnnxExportTests(ITestOutputHelper output) => _output = output;

    public static TheoryData<string> Networks => new(s_networks.Keys);

    [Theory]
    [MemberData(nameof(Networks))]
    public void OnnxRuntimeComputesForwardBatch(string name)
    {
        INetwork network = CreateWithRandomParameters(name);
        float[] inputs = RandomInputs(network.InputSize * BatchSize, seed: 11);
        float[] expected = new float[network.OutputSize * BatchSize];
        network.ForwardBatch(network.CreateWorkspace(BatchSize), inputs, expected);

        float[] actual = RunOnnxRuntime(network, inputs, BatchSize);

        AssertClose(expected, actual, network.OutputSize, $"{name}, batch of {BatchSize}");
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void OnnxRuntimeComputesForwardForOneSample(string name)
    {
        INetwork network = CreateWithRandomParameters(name);
        float[] input = RandomInputs(network.InputSize, seed: 12);
        float[] expected = new float[network.OutputSize];
        network.Forward(input, expected);

        float[] actual = RunOnnxRuntime(network, input, 1);

        AssertClose(expected, actual, network.OutputSize, $"{name}, one sample");
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void SessionMetadataDescribesTheGraph(string name)
    {
        INetwork network = CreateWithRandomParameters(name);
        using var session = new InferenceSession(Export(network), SingleThreaded());

        AssertBatch(session.InputMetadata, "input", Dimensions(network.Layers[0].InputShape, network.InputSize));
        AssertBatch(session.OutputMetadata, "output", Dimensions(network.Layers[^1].OutputShape, network.OutputSize));
        Assert.Equal("NetGen", session.ModelMetadata.ProducerName);
        Assert.Equal(network.Architecture, session.ModelMetadata.CustomMetadataMap["netgen.architecture"]);
    }

    [Fact]
    public void ModelDeclaresIrVersion8AndOpset17()
    {
        IReadOnlyList<Protobuf.Field> model = Protobuf.Read(Export(CreateWithRandomParameters(nameof(Mnist64))));

        Assert.Equal(8ul, model.One(1).Value);
        IReadOnlyList<Protobuf.Field> opset = Assert.Single(model.All(8)).Message;
        Assert.Equal("", opset.One(1).Text);
        Assert.Equal(17ul, opset.One(2).Value);
    }

    [Theory]
    [InlineData(nameof(MseEveryActivation), "Gemm Relu Gemm LeakyRelu Gemm Sigmoid Gemm Tanh Gemm")]
    [InlineData(nameof(Mnist64), "Gemm Relu Gemm Softmax")]
    [InlineData(nameof(CeDeepVector), "Gemm Relu Gemm Tanh Gemm Gemm LeakyRelu Gemm Softmax")]
    [InlineData(nameof(LeNet5), "Conv Relu MaxPool Conv Relu MaxPool Flatten Gemm Relu Gemm Relu Gemm Softmax")]
    [InlineData(nameof(OddSizeCnn), "Conv Tanh AveragePool Flatten Gemm Sigmoid")]
    [InlineData(nameof(DropoutCnn), "Conv LeakyRelu MaxPool Flatten Gemm Tanh Gemm Sigmoid")]
    public void GraphHasAGemmPerLayerThenItsActivation(string name, string operators)
    {
        INetwork network = CreateWithRandomParameters(name);
        IReadOnlyList<Protobuf.Field> graph = Protobuf.Read(Export(network)).One(7).Message;

        IReadOnlyList<Protobuf.Field>[] nodes = graph.All(1).Select(node => node.Message).ToArray();
        Assert.Equal(operators, string.Join(' ', nodes.Select(node => node.One(4).Text)));
        Assert.Equal("input", nodes[0].All(1).First().Text);
        Assert.Equal("output", nodes[^1].One(2).Text);

        // One weight and one bias initializer per layer, in the shapes INetwork.Layers gives them.
        string[] initializers = graph.All(5).Select(tensor => tensor.Message.One(8).Text).ToArray();
        string[] blocks = network.Layers.SelectMany(layer => layer.Parameters.Select(block => $"layer{layer.Index}.{block.Name}")).ToArray();
        Assert.Equal(blocks, initializers);
    }

    [Fact]
    public void TrainingModeExportsTheSameModel()
    {
        INetwork network = CreateWithRandomParameters(nameof(CeDeepVector));
        byte[] evaluation = Export(network);

        network.Mode = NetworkMode.Training;
        byte[] training = Export(network);

        Assert.Equal(evaluation, training);
        Assert.Equal(NetworkMode.Training, network.Mode);
    }

    [Fact]
    public void SaveToPathWritesWhatSaveToStreamWrites()
    {
        INetwork network = CreateWithRandomParameters(nameof(MseEveryActivation));
        string path = Path.Combine(Path.GetTempPath(), $"netgen-onnx-{Guid.NewGuid():N}.onnx");
        try
        {
            File.WriteAllBytes(path, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
            Onnx.Save(network, path);

            Assert.Equal(Export(network), File.ReadAllBytes(path));
            using var session = new InferenceSession(path, SingleThreaded());
            Assert.Equal("output", Assert.Single(session.OutputNames));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ExportReadsTheCurrentParameters()
    {
        INetwork network = CreateWithRandomParameters(nameof(BceXor));
        byte[] before = Export(network);

        network.Parameters[0] += 1f;

        Assert.NotEqual(before, Export(network));
    }

    [Fact]
    public void AnActivationWithoutAMappingThrowsAndWritesNothing()
    {
        // BceXor: 2 → 4 (weights at 0, biases at 8) → 1 (weights at 12, bias at 16).
        INetwork network = new RelayeredNetwork(
            CreateWithRandomParameters(nameof(BceXor)),
            LayerInfo.Dense(0, 2, 4, Activation.Tanh, 0, 8),
            LayerInfo.Dense(1, 4, 1, (Activation)42, 12, 16));
        string path = Path.Combine(Path.GetTempPath(), $"netgen-onnx-{Guid.NewGuid():N}.onnx");

        var error = Assert.Throws<NotSupportedException>(() => Onnx.Save(network, path));

        Assert.Contains("42", error.Message);
        Assert.Contains("layer 1", error.Message);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void LayersWhoseSizesDoNotChainAreRefused()
    {
        INetwork network = new RelayeredNetwork(
            CreateWithRandomParameters(nameof(BceXor)),
            LayerInfo.Dense(0, 2, 4, Activation.Tanh, 0, 8),
            LayerInfo.Dense(1, 3, 1, Activation.Sigmoid, 12, 15));

        var error = Assert.Throws<ArgumentException>(() => Onnx.Save(network, Stream.Null));

        Assert.Contains("Layer 1 reads 3 values per sample, but 4 reach it", error.Message);
    }

    /// <summary>
    /// The network <paramref name="name"/> with its initializer's weights and, since those biases are zero, random
    /// biases too, so that a misplaced bias shows.
    /// </summary>
    private static INetwork CreateWithRandomParameters(string name)
    {
        INetwork network = s_networks[name]();
        network.InitializeParameters(seed: 7);
        var random = new SeededRandom(8);
        foreach (LayerInfo layer in network.Layers)
        {
            foreach (ParameterBlock block in layer.Parameters.Where(block => block.Name == "bias"))
            {
                foreach (ref float bias in network.Parameters.Slice(block.Offset, block.Length))
                {
                    bias = random.NextSymmetric(0.5f);
                }
            }
        }

        return network;
    }

    private static float[] RandomInputs(int count, int seed)
    {
        var random = new SeededRandom(seed);
        float[] inputs = new float[count];
        for (int i = 0; i < count; i++)
        {
            inputs[i] = random.NextSymmetric(1f);
        }

        return inputs;
    }

    private static byte[] Export(INetwork network)
    {
        using var stream = new MemoryStream();
        Onnx.Save(network, stream);
        return stream.ToArray();
    }

    private static SessionOptions SingleThreaded() => new()
    {
        IntraOpNumThreads = 1,
        InterOpNumThreads = 1,
        ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
    };

    /// <summary>Runs the export of <paramref name="network"/> on <paramref name="count"/> samples, as images where it takes images.</summary>
    private static float[] RunOnnxRuntime(INetwork network, float[] inputs, int count)
    {
        using SessionOptions options = SingleThreaded();
        using var session = new InferenceSession(Export(network), options);
        long[] shape = [count, .. Dimensions(network.Layers[0].InputShape, network.InputSize)];
        using var input = OrtValue.CreateTensorValueFromMemory(inputs, shape);
        using var runOptions = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(runOptions, ["input"], [input], ["output"]);

        OrtValue output = Assert.Single(outputs);
        Assert.Equal(count * network.OutputSize, output.GetTensorTypeAndShape().ElementCount);
        Assert.Equal(count, output.GetTensorTypeAndShape().Shape[0]);
        return output.GetTensorDataAsSpan<float>().ToArray();
    }

    /// <summary>A sample's dimensions in the graph: [C, H, W] for an image, [<paramref name="features"/>] for a vector.</summary>
    private static long[] Dimensions(TensorShape shape, int features) =>
        shape.IsFlat ? [features] : [shape.Channels, shape.Height, shape.Width];

    private static void AssertBatch(IReadOnlyDictionary<string, NodeMetadata> metadata, string name, long[] dimensions)
    {
        NodeMetadata node = Assert.Single(metadata, pair => pair.Key == name).Value;
        Assert.Single(metadata);
        Assert.Equal(typeof(float), node.ElementType);
        Assert.Equal([-1, .. dimensions.Select(dimension => (int)dimension)], node.Dimensions);
        Assert.Equal("N", node.SymbolicDimensions[0]);
    }

    /// <summary>Fails on the element furthest outside the tolerance (or the first NaN), naming it; logs the worst element either way.</summary>
    private void AssertClose(float[] expected, float[] actual, int outputSize, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        int worst = 0;
        float worstRatio = 0f;
        for (int i = 0; i < expected.Length; i++)
        {
            float allowed = RelativeTolerance * MathF.Max(MathF.Abs(expected[i]), ToleranceFloor);
            float ratio = MathF.Abs(actual[i] - expected[i]) / allowed;
            if (float.IsNaN(ratio))
            {
                worst = i;
                worstRatio = float.PositiveInfinity;
                break;
            }

            if (ratio > worstRatio)
            {
                worst = i;
                worstRatio = ratio;
            }
        }

        _output.WriteLine($"{what}: worst element at {worstRatio:F3}× the tolerance ({actual[worst]:R} against {expected[worst]:R}).");
        Assert.True(
            worstRatio <= 1f,
            $"{what}: sample {worst / outputSize}, output {worst % outputSize}: ONNX Runtime gives {actual[worst]:R}, " +
            $"NetGen {expected[worst]:R}, {worstRatio:F1}× the tolerance.");
    }
}
