using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using Xunit;

namespace NetGen.Tests.Interop;

/// <summary>
/// The PyTorch twin and safetensors mapping of convolution, pooling, dropout and Dense-over-image layers, on layer
/// lists built by hand (<see cref="LayerStack"/>) and checked with <see cref="NaiveCnn"/> against the CNN fixtures of
/// <c>make_pytorch_fixtures.py</c>, whose twins are the very strings asserted here.
/// </summary>
public sealed class CnnInteropTests
{
    private const double RelativeTolerance = 1e-5;
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Interop", "Fixtures");

    public const string LeNet5Module =
        "torch.nn.Sequential(torch.nn.Conv2d(1, 6, 5), torch.nn.ReLU(), torch.nn.MaxPool2d(2), " +
        "torch.nn.Conv2d(6, 16, 5), torch.nn.ReLU(), torch.nn.MaxPool2d(2), torch.nn.Flatten(), " +
        "torch.nn.Linear(256, 120), torch.nn.ReLU(), torch.nn.Linear(120, 84), torch.nn.ReLU(), torch.nn.Linear(84, 10))";

    public const string OddSizeCnnModule =
        "torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3, stride=2, padding=1), torch.nn.Tanh(), " +
        "torch.nn.AvgPool2d(2, stride=1), torch.nn.Flatten(), torch.nn.Linear(48, 5), torch.nn.Sigmoid())";

    public const string DropoutCnnModule =
        "torch.nn.Sequential(torch.nn.Conv2d(2, 3, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(3, stride=1), " +
        "torch.nn.Dropout(p=0.25), torch.nn.Flatten(), torch.nn.Linear(48, 6), torch.nn.Tanh(), torch.nn.Dropout(p=0.5), " +
        "torch.nn.Linear(6, 3))";

    /// <summary>Each CNN fixture's layers, loss, twin and state_dict prefixes; its generated class in <c>CnnTwins.cs</c> has the same.</summary>
    internal static readonly Dictionary<string, (Func<LayerStack> Stack, Loss Loss, string Twin, string[] Prefixes)> Fixtures = new()
    {
        ["LeNet5Twin"] = (LayerStack.LeNet5, Loss.CrossEntropy, LeNet5Module, ["0", "3", "7", "9", "11"]),
        ["OddSizeCnnTwin"] = (LayerStack.OddSizeCnn, Loss.MeanSquaredError, OddSizeCnnModule, ["0", "4"]),
        ["DropoutCnnTwin"] = (LayerStack.DropoutCnn, Loss.CrossEntropy, DropoutCnnModule, ["0", "5", "8"]),
    };

    public static TheoryData<string> Names => new(Fixtures.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public void The_twin_numbers_flatten_pooling_dropout_and_activations_as_modules(string name)
    {
        var (stack, _, twin, prefixes) = Fixtures[name];
        IReadOnlyList<LayerInfo> layers = stack().Layers;

        Assert.Equal(twin, PyTorchTwin.Describe(layers));
        Assert.Equal(prefixes, PyTorchTwin.ParameterPrefixes(layers));
    }

    [Fact]
    public void Stride_and_padding_are_written_only_where_they_differ_from_pytorchs_defaults()
    {
        IReadOnlyList<LayerInfo> layers = new LayerStack(new TensorShape(2, 12, 12))
            .Conv2D(3, 3, Activation.LeakyReLU, stride: 3)
            .Conv2D(4, 3, Activation.Identity, padding: 1)
            .AvgPool2D(2).MaxPool2D(1, stride: 1)
            .Dense(2, Activation.Sigmoid)
            .Layers;

        Assert.Equal(
            "torch.nn.Sequential(torch.nn.Conv2d(2, 3, 3, stride=3), torch.nn.LeakyReLU(0.01), torch.nn.Conv2d(3, 4, 3, padding=1), " +
            "torch.nn.AvgPool2d(2), torch.nn.MaxPool2d(1), torch.nn.Flatten(), torch.nn.Linear(16, 2), torch.nn.Sigmoid())",
            PyTorchTwin.Describe(layers));
        Assert.Equal(["0", "2", "6"], PyTorchTwin.ParameterPrefixes(layers));
    }

    [Fact]
    public void A_dense_layer_on_the_image_input_is_flattened_first_and_dropout_rates_are_invariant_and_shortest()
    {
        CultureInfo culture = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            IReadOnlyList<LayerInfo> layers = new LayerStack(new TensorShape(1, 2, 3))
                .Dropout(0.1f).Dense(4, Activation.ReLU).Dropout(0.5f).Dense(2, Activation.Identity).Layers;
            IReadOnlyList<LayerInfo> direct = new LayerStack(new TensorShape(1, 2, 3)).Dense(4, Activation.Tanh).Layers;

            Assert.Equal(
                "torch.nn.Sequential(torch.nn.Dropout(p=0.1), torch.nn.Flatten(), torch.nn.Linear(6, 4), torch.nn.ReLU(), " +
                "torch.nn.Dropout(p=0.5), torch.nn.Linear(4, 2))",
                PyTorchTwin.Describe(layers));
            Assert.Equal(["2", "5"], PyTorchTwin.ParameterPrefixes(layers));
            Assert.Equal("torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(6, 4), torch.nn.Tanh())", PyTorchTwin.Describe(direct));
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void A_pytorch_cnn_state_dict_loads_and_reproduces_the_twins_outputs(string name)
    {
        var (stack, loss, _, _) = Fixtures[name];
        LayerListNetwork network = stack().Build(loss, seed: 1);

        SafeTensors.Load(network, Path.Combine(Folder, $"{name}.safetensors"));

        float[] inputs = ReadFloats($"{name}.inputs.f32"), expected = ReadFloats($"{name}.outputs.f32");
        int samples = inputs.Length / network.InputSize;
        Assert.Equal(samples * network.OutputSize, expected.Length);
        var output = new float[network.OutputSize];
        double worst = 0;
        for (int sample = 0; sample < samples; sample++)
        {
            network.Forward(inputs.AsSpan(sample * network.InputSize, network.InputSize), output);
            double[] twin = Array.ConvertAll(expected[(sample * output.Length)..((sample + 1) * output.Length)], value => (double)value);
            if (loss == Loss.CrossEntropy)
            {
                Softmax(twin);
            }

            for (int j = 0; j < output.Length; j++)
            {
                worst = Math.Max(worst, Math.Abs(output[j] - twin[j]) / Math.Abs(twin[j]));
            }
        }

        Assert.True(worst <= RelativeTolerance, $"{name}: the largest relative difference from PyTorch is {worst:G3}");
    }

    [Fact]
    public void A_conv_weight_is_saved_as_it_is_stored_and_a_dense_weight_over_an_image_transposed()
    {
        LayerListNetwork network = LayerStack.OddSizeCnn().Build(Loss.MeanSquaredError, seed: 2);
        for (int i = 0; i < network.ParameterCount; i++)
        {
            network.Parameters[i] = i;
        }

        byte[] file = SafeTensorsFiles.Save(network);
        float[] data = MemoryMarshal.Cast<byte, float>(SafeTensorsFiles.Data(file)).ToArray();

        // Conv 3 → 4, K 3: weight [4, 3, 3, 3] at 0 (108 values), bias [4] at 108; Dense 48 → 5: weight at 112, bias at 352.
        Assert.Contains("\"0.weight\":{\"dtype\":\"F32\",\"shape\":[4,3,3,3],\"data_offsets\":[0,432]}", SafeTensorsFiles.Header(file));
        Assert.Contains("\"0.bias\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[432,448]}", SafeTensorsFiles.Header(file));
        Assert.Contains("\"4.weight\":{\"dtype\":\"F32\",\"shape\":[5,48]", SafeTensorsFiles.Header(file));
        Assert.Equal(Enumerable.Range(0, 112).Select(i => (float)i), data[..112]);

        // PyTorch's Linear.weight [5, 48]: row o holds input i at NetGen's 112 + i·5 + o.
        Assert.Equal(112 + 1 * 5 + 0, data[112 + 1]);
        Assert.Equal(112 + 0 * 5 + 1, data[112 + 48]);
        Assert.Equal(Enumerable.Range(352, 5).Select(i => (float)i), data[352..]);

        LayerListNetwork copy = LayerStack.OddSizeCnn().Build(Loss.MeanSquaredError, seed: 3);
        SafeTensors.Load(copy, new MemoryStream(file));
        Assert.Equal(network.Parameters.ToArray(), copy.Parameters.ToArray());
    }

    [Fact]
    public void Names_give_one_prefix_per_conv_and_dense_layer()
    {
        LayerListNetwork network = LayerStack.LeNet5().Build(Loss.CrossEntropy, seed: 4);
        string[] names = ["conv1", "conv2", "fc1", "fc2", "fc3"];

        byte[] file = SafeTensorsFiles.Save(network, names);

        Assert.Contains("\"conv2.weight\":{\"dtype\":\"F32\",\"shape\":[16,6,5,5]", SafeTensorsFiles.Header(file));
        Assert.Contains("\"fc1.weight\":{\"dtype\":\"F32\",\"shape\":[120,256]", SafeTensorsFiles.Header(file));
        LayerListNetwork copy = LayerStack.LeNet5().Build(Loss.CrossEntropy, seed: 5);
        SafeTensors.Load(copy, new MemoryStream(file), names);
        Assert.Equal(network.Parameters.ToArray(), copy.Parameters.ToArray());

        var error = Assert.Throws<ArgumentException>(() => SafeTensors.Load(copy, new MemoryStream(file), ["conv1", "conv2", "fc1"]));
        Assert.Contains("5 layers with parameters, so it needs 5 names, not 3", error.Message);
    }

    [Fact]
    public void A_misshaped_conv_weight_is_named_and_leaves_the_parameters_untouched()
    {
        // The fixture's first convolution has 3 filters, this one 4: the first tensor in the twin's order is wrong.
        LayerListNetwork network = new LayerStack(new TensorShape(2, 8, 8))
            .Conv2D(4, 3, Activation.ReLU).MaxPool2D(3, stride: 1).Dropout(0.25f)
            .Dense(6, Activation.Tanh).Dropout(0.5f).Dense(3, Activation.Softmax)
            .Build(Loss.CrossEntropy, seed: 6);
        float[] before = network.Parameters.ToArray();

        var error = Assert.Throws<SafeTensorsException>(() => SafeTensors.Load(network, Path.Combine(Folder, "DropoutCnnTwin.safetensors")));

        Assert.Contains("tensor '0.weight' has shape [3, 2, 3, 3] where this network needs [4, 2, 3, 3]", error.Message);
        Assert.Contains("(PyTorch's Conv2d.weight is [filters, channels, kernel, kernel])", error.Message);
        Assert.Equal(before, network.Parameters.ToArray());
    }

    internal static float[] ReadFloats(string file) => MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(Path.Combine(Folder, file))).ToArray();

    internal static void Softmax(double[] logits)
    {
        double max = logits.Max(), sum = 0;
        for (int j = 0; j < logits.Length; j++)
        {
            sum += logits[j] = Math.Exp(logits[j] - max);
        }

        for (int j = 0; j < logits.Length; j++)
        {
            logits[j] /= sum;
        }
    }
}
