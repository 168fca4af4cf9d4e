using System.Linq;
using Xunit;

namespace NetGen.Generator.Tests;

public class EmitterTests
{
    private const string Mnist = """
        using NetGen;
        [Network(Loss.CrossEntropy)] [Input(784)] [Dense(800, Activation.ReLU)] [Dense(10, Activation.Softmax)]
        public partial class Big { }
        """;

    [Fact]
    public void The_same_declaration_gives_byte_identical_output()
    {
        string first = Generated(Mnist);
        string second = Generated(Mnist);
        Assert.Equal(first, second);
    }

    [Fact]
    public void Large_layers_generate_loops_whose_size_does_not_grow_with_the_layer()
    {
        string big = Generated(Mnist);
        // Same remainders modulo the register tiles, so the same tail loops.
        string small = Generated(Mnist.Replace("784", "100").Replace("800", "88"));
        Assert.Equal(small.Split('\n').Length, big.Split('\n').Length);
        // The tiles live in the runtime kernels, so a layer's code is a few calls whatever its size.
        Assert.True(big.Length < 40_000, $"784→800→10 generated {big.Length} characters");
    }

    [Theory]
    [InlineData(12, true)]
    [InlineData(11, false)]
    [InlineData(0, false)]
    public void A_layer_is_unrolled_exactly_when_its_weight_count_is_within_the_threshold(int threshold, bool unrolled)
    {
        string code = Generated($$"""
            using NetGen;
            [Network(Loss.MeanSquaredError, UnrollThreshold = {{threshold}})] [Input(3)] [Dense(4, Activation.Tanh)]
            public partial class Small { }
            """);
        int start = code.IndexOf("private void Layer1Forward()", System.StringComparison.Ordinal);
        string singleSample = code[start..code.IndexOf("private void Layer1Backward()", start, System.StringComparison.Ordinal)];
        Assert.Equal(unrolled, singleSample.Contains("a[3] = global::System.MathF.Tanh(b[3] + w[3] * x[0] + w[7] * x[1]"));
        Assert.Equal(!unrolled, singleSample.Contains("global::NetGen.Kernels.DenseKernels.Forward<global::NetGen.Kernels.TanhActivation>"));
    }

    [Fact]
    public void An_unrolled_output_of_eight_inputs_or_more_is_summed_in_four_partial_sums()
    {
        string code = Generated("""
            using NetGen;
            [Network(Loss.MeanSquaredError)] [Input(9)] [Dense(1, Activation.Identity)] [Dense(1, Activation.Identity)]
            public partial class Chains { }
            """);
        int start = code.IndexOf("private void Layer1Forward()", System.StringComparison.Ordinal);
        string wide = code[start..code.IndexOf("private void Layer1Backward()", start, System.StringComparison.Ordinal)];
        Assert.Contains("float sum0 = b[0] + w[0] * x[0] + w[4] * x[4] + w[8] * x[8];", wide);
        Assert.Contains("float sum3 = w[3] * x[3] + w[7] * x[7];", wide);
        Assert.Contains("a[0] = (sum0 + sum1) + (sum2 + sum3);", wide);

        // One input: a single term, with nothing to split.
        start = code.IndexOf("private void Layer2Forward()", System.StringComparison.Ordinal);
        string narrow = code[start..code.IndexOf("private void Layer2Backward()", start, System.StringComparison.Ordinal)];
        Assert.Contains("a[0] = b[0] + w[0] * x[0];", narrow);
    }

    [Fact]
    public void A_network_with_a_user_constructor_still_starts_from_seed_zero()
    {
        var (result, output) = GeneratorHarness.Run("""
            using NetGen;
            [Network(Loss.MeanSquaredError)] [Input(2)] [Dense(1, Activation.Identity)]
            public partial class WithConstructor { public WithConstructor(int unused) { } }
            """);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.CompilerProblems(output));
        Assert.Contains("_parameters = DrawParameters(new global::NetGen.AlignedBuffer(ParameterCount), seed: 0)", result.GeneratedTrees.Single().ToString());
    }

    [Fact]
    public void A_dotnet_8_project_compiles_the_generated_code_cleanly_against_the_net8_runtime_library()
    {
        var references = System.IO.Directory.GetFiles(BuildPath("Net80References"), "*.dll")
            .Append(BuildPath("NetGenNet80"))
            .Select(path => Microsoft.CodeAnalysis.MetadataReference.CreateFromFile(path));

        var (result, output) = GeneratorHarness.Run(Mnist, references: references);

        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.CompilerProblems(output));
        // Whether multiply-adds fuse is the kernels' business (their net8.0 build cannot), so both targets get the same code.
        Assert.Equal(Generated(Mnist), result.GeneratedTrees.Single().ToString());
    }

    [Fact]
    public void The_pytorch_twin_names_every_module_and_leaves_softmax_to_the_loss()
    {
        string code = Generated("""
            using NetGen;
            [Network(Loss.CrossEntropy)] [Input(5)] [Dense(4, Activation.LeakyReLU)] [Dense(3, Activation.Identity)] [Dense(2, Activation.Softmax)]
            public partial class Twin { }
            """);
        // The constant's value, whether written on one line or as a concatenation over several.
        string declaration = code[code.IndexOf("PyTorchModule =", System.StringComparison.Ordinal)..];
        string value = System.Text.RegularExpressions.Regex.Replace(declaration[..declaration.IndexOf(';')], "\"\\s*\\+\\s*\"", "");
        Assert.Equal(
            "PyTorchModule = \"torch.nn.Sequential(torch.nn.Linear(5, 4), torch.nn.LeakyReLU(0.01), torch.nn.Linear(4, 3), torch.nn.Linear(3, 2))\"",
            System.Text.RegularExpressions.Regex.Replace(value, "=\\s*\"", "= \""));
    }

    [Fact]
    public void A_user_overload_of_a_generated_method_is_kept_and_the_network_generated()
    {
        var (result, output) = GeneratorHarness.Run("""
            using NetGen;
            [Network(Loss.MeanSquaredError)] [Input(2)] [Dense(1, Activation.Identity)]
            public partial class WithOverload
            {
                public float[] Forward(float[] input) { var output = new float[OutputSize]; Forward(input, output); return output; }
            }
            """);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.CompilerProblems(output));
        Assert.Single(result.GeneratedTrees);
    }

    [Fact]
    public void A_partial_record_network_is_generated_as_a_record()
    {
        var (result, output) = GeneratorHarness.Run("""
            using NetGen;
            [Network(Loss.MeanSquaredError)] [Input(2)] [Dense(1, Activation.Identity)]
            public partial record RecordNet(string Label);
            """);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.CompilerProblems(output));
        Assert.Contains("partial record RecordNet : global::NetGen.INetwork", result.GeneratedTrees.Single().ToString());
    }

    private static string BuildPath(string key) =>
        typeof(EmitterTests).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    private static string Generated(string source)
    {
        var (result, output) = GeneratorHarness.Run(source);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.CompilerProblems(output));
        return result.GeneratedTrees.Single().ToString();
    }
}
