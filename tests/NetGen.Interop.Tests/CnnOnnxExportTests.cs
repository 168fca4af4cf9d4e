using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using NetGen.Tests.Interop;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Interop.Tests;

/// <summary>
/// The ONNX export of convolution, pooling, dropout and Dense-over-image layers against ONNX Runtime, on layer lists
/// built by hand (<see cref="LayerStack"/>) whose forward pass is the naive reference <see cref="NaiveCnn"/>.
/// </summary>
public sealed class CnnOnnxExportTests
{
    /// <summary>As <see cref="OnnxExportTests"/>: relative to max(|expected|, 0.1).</summary>
    private const float RelativeTolerance = 1e-5f, ToleranceFloor = 0.1f;

    private const int BatchSize = 7;

    private static readonly Dictionary<string, (Func<LayerStack> Stack, string Operators)> s_stacks = new()
    {
        ["LeNet5"] = (LayerStack.LeNet5, "Conv Relu MaxPool Conv Relu MaxPool Flatten Gemm Relu Gemm Relu Gemm Softmax"),
        ["OddSizeCnn"] = (LayerStack.OddSizeCnn, "Conv Tanh AveragePool Flatten Gemm Sigmoid"),
        ["DropoutCnn"] = (LayerStack.DropoutCnn, "Conv Relu MaxPool Flatten Gemm Tanh Gemm Softmax"),
        ["EndsInAnImage"] = (
            () => new LayerStack(new TensorShape(2, 6, 6)).Conv2D(3, 2, Activation.LeakyReLU, padding: 2).Dropout(0.5f).AvgPool2D(3, stride: 2),
            "Conv LeakyRelu AveragePool"),

        // A convolution as large as its input writes C×1×1, a flat shape that is still [N, C, 1, 1] in the graph.
        ["OneByOneThenDense"] = (
            () => new LayerStack(new TensorShape(3, 4, 4)).Conv2D(5, 4, Activation.ReLU).Dense(2, Activation.Identity),
            "Conv Relu Flatten Gemm"),
    };

    private readonly ITestOutputHelper _output;

    public CnnOnnxExportTests(ITestOutputHelper output) => _output = output;

    public static TheoryData<string> Stacks => new(s_stacks.Keys);

    [Theory]
    [MemberData(nameof(Stacks))]
    public void OnnxRuntimeComputesTheLayersOnImageBatches(string name)
    {
        LayerListNetwork network = s_stacks[name].Stack().Build(Loss.MeanSquaredError, seed: 21);
        float[] inputs = RandomInputs(network.InputSize * BatchSize, seed: 22);
        float[] expected = new float[network.OutputSize * BatchSize];
        network.ForwardBatch(null!, inputs, expected);

        using InferenceSession session = Session(network);
        TensorShape input = network.Layers[0].InputShape;
        using var value = OrtValue.CreateTensorValueFromMemory(inputs, [BatchSize, input.Channels, input.Height, input.Width]);
        using var runOptions = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(runOptions, ["input"], [value], ["output"]);

        float[] actual = Assert.Single(outputs).GetTensorDataAsSpan<float>().ToArray();
        AssertClose(expected, actual, network.OutputSize, name);
    }

    [Theory]
    [MemberData(nameof(Stacks))]
    public void TheGraphTakesImagesAndHasTheLayersNodesInOrder(string name)
    {
        var (stack, operators) = s_stacks[name];
        LayerListNetwork network = stack().Build(Loss.MeanSquaredError, seed: 23);
        IReadOnlyList<Protobuf.Field> graph = Protobuf.Read(Export(network)).One(7).Message;

        Assert.Equal(operators, string.Join(' ', graph.All(1).Select(node => node.Message.One(4).Text)));
        string[] initializers = graph.All(5).Select(tensor => tensor.Message.One(8).Text).ToArray();
        Assert.Equal(network.Layers.SelectMany(layer => layer.Parameters.Select(block => $"layer{layer.Index}.{block.Name}")), initializers);

        using InferenceSession session = Session(network);
        TensorShape input = network.Layers[0].InputShape, output = network.Layers[^1].OutputShape;
        Assert.Equal([-1, input.Channels, input.Height, input.Width], session.InputMetadata["input"].Dimensions);
        Assert.Equal(output.IsFlat ? [-1, output.Length] : [-1, output.Channels, output.Height, output.Width], session.OutputMetadata["output"].Dimensions);
    }

    [Fact]
    public void ConvAndPoolNodesCarryKernelStridesAndPads()
    {
        IReadOnlyList<Protobuf.Field> graph = Protobuf.Read(Export(LayerStack.OddSizeCnn().Build(Loss.MeanSquaredError, seed: 24))).One(7).Message;
        IReadOnlyList<Protobuf.Field>[] nodes = graph.All(1).Select(node => node.Message).ToArray();

        Assert.Equal("kernel_shape=3,3 strides=2,2 pads=1,1,1,1", Attributes(nodes[0]));
        Assert.Equal("kernel_shape=2,2 strides=1,1", Attributes(nodes[2]));
        Assert.Equal("axis=1", Attributes(nodes[3]));

        // The Conv weight is NetGen's block as it is: [filters, C, K, K].
        IReadOnlyList<Protobuf.Field> weight = graph.All(5).First().Message;
        Assert.Equal([4ul, 3ul, 3ul, 3ul], weight.All(1).Select(dimension => dimension.Value));
    }

    [Fact]
    public void OnlyDropoutExportsAnIdentity()
    {
        LayerListNetwork network = new LayerStack(new TensorShape(1, 2, 2)).Dropout(0.5f).Build(Loss.MeanSquaredError, seed: 25);

        IReadOnlyList<Protobuf.Field> graph = Protobuf.Read(Export(network)).One(7).Message;

        Assert.Equal("Identity", Assert.Single(graph.All(1)).Message.One(4).Text);
        using InferenceSession session = Session(network);
        Assert.Equal([-1, 1, 2, 2], session.OutputMetadata["output"].Dimensions);
    }

    [Fact]
    public void AConvolutionThatReadsAVectorIsRefused()
    {
        var dense = LayerInfo.Dense(0, 4, 8, Activation.ReLU, 0, 32);
        var conv = LayerInfo.Conv2D(1, TensorShape.Vector(8), 2, 1, 1, 0, Activation.Identity, 40, 56);
        var network = new LayerListNetwork([dense, conv], TensorShape.Vector(4), Loss.MeanSquaredError);

        var error = Assert.Throws<NotSupportedException>(() => Export(network));

        Assert.Contains("Conv2D layer that reads a flat vector (layer 1)", error.Message);
    }

    /// <summary>"name=value" for each attribute of <paramref name="node"/>, INTS joined by commas.</summary>
    private static string Attributes(IReadOnlyList<Protobuf.Field> node) =>
        string.Join(' ', node.All(5).Select(field =>
        {
            IReadOnlyList<Protobuf.Field> attribute = field.Message;
            IEnumerable<ulong> values = attribute.One(20).Value == 7 ? attribute.All(8).Select(value => value.Value) : [attribute.One(3).Value];
            return $"{attribute.One(1).Text}={string.Join(',', values)}";
        }));

    private static byte[] Export(INetwork network)
    {
        using var stream = new MemoryStream();
        Onnx.Save(network, stream);
        return stream.ToArray();
    }

    private static InferenceSession Session(INetwork network)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL };
        return new InferenceSession(Export(network), options);
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

    private void AssertClose(float[] expected, float[] actual, int outputSize, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        int worst = 0;
        float worstRatio = 0f;
        for (int i = 0; i < expected.Length; i++)
        {
            float ratio = MathF.Abs(actual[i] - expected[i]) / (RelativeTolerance * MathF.Max(MathF.Abs(expected[i]), ToleranceFloor));
            if (!(ratio <= worstRatio))
            {
                worst = i;
                worstRatio = float.IsNaN(ratio) ? float.PositiveInfinity : ratio;
            }
        }

        _output.WriteLine($"{what}: worst element at {worstRatio:F3}× the tolerance ({actual[worst]:R} against {expected[worst]:R}).");
        Assert.True(worstRatio <= 1f, $"{what}: sample {worst / outputSize}, output {worst % outputSize}: ONNX Runtime gives {actual[worst]:R}, the reference {expected[worst]:R}.");
    }
}
