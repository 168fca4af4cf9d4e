using System;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>
/// Generated code is read by people: the samples' files stay short, no method grows past a screenful or two (except a
/// fully unrolled small layer, which is its own explanation), and no line needs horizontal scrolling.
/// </summary>
public class GeneratedCodeBudgetTests
{
    private const int XorSampleLines = 400;
    private const int MnistSampleLines = 1_500;
    private const int MethodLines = 150;
    private const int LineCharacters = 160;

    private static readonly Regex UnrolledLayerMethod = new(@"^Layer[0-9]+(Forward|Backward)$");

    [Fact]
    public void The_xor_sample_generates_at_most_400_lines()
    {
        Assert.InRange(LineCount(GenerateSample("Xor", "XorNet.cs")), 1, XorSampleLines);
    }

    [Fact]
    public void The_mnist_sample_generates_at_most_1500_lines()
    {
        Assert.InRange(LineCount(GenerateSample("Mnist", "MnistMlp.cs")), 1, MnistSampleLines);
    }

    public static TheoryData<string> Declarations() => new()
    {
        SampleSource("Xor", "XorNet.cs"),
        SampleSource("Mnist", "MnistMlp.cs"),
        "using NetGen; [Network(Loss.MeanSquaredError)] [Input(16)] [Dense(32, Activation.Tanh)] [Dense(32, Activation.Tanh)] [Dense(1, Activation.Identity)] public partial class W3 { }",
        "using NetGen; [Network(Loss.BinaryCrossEntropy, UnrollThreshold = 64)] [Input(8)] [Dense(8, Activation.Sigmoid)] [Dense(8, Activation.LeakyReLU)] [Dense(3, Activation.Sigmoid)] public partial class Unrolled { }",
        "using NetGen; [Network(Loss.CrossEntropy)] [Input(784)] [Dense(800, Activation.ReLU)] [Dense(10, Activation.Softmax)] public partial class Wide { }",
        "using NetGen; [Network(Loss.CrossEntropy)] [Input(1, 28, 28)] [Conv2D(6, 5, Activation.ReLU)] [MaxPool2D(2)] [Conv2D(16, 5, Activation.ReLU)] [MaxPool2D(2)] "
            + "[Dense(120, Activation.ReLU)] [Dense(84, Activation.ReLU)] [Dense(10, Activation.Softmax)] public partial class LeNet5 { }",
        "using NetGen; [Network(Loss.BinaryCrossEntropy)] [Input(3, 32, 32)] [Conv2D(32, 3, Activation.LeakyReLU, Padding = 1)] [AvgPool2D(2, Stride = 1)] "
            + "[Conv2D(64, 3, Activation.Sigmoid, Stride = 2, Padding = 1)] [Dropout(0.5)] [Flatten] [Dense(1, Activation.Sigmoid)] public partial class Wider { }",
    };

    [Theory]
    [MemberData(nameof(Declarations))]
    public void No_generated_line_is_over_160_characters(string source)
    {
        string code = Generate(source);
        string[] longLines = code.Split('\n').Where(line => line.Length > LineCharacters).ToArray();
        Assert.True(longLines.Length == 0, $"{longLines.Length} lines over {LineCharacters} characters, e.g.\n{string.Join("\n", longLines.Take(3))}");
    }

    [Theory]
    [MemberData(nameof(Declarations))]
    public void No_generated_method_is_over_150_lines_except_unrolled_layers(string source)
    {
        SyntaxTree tree = Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(Generate(source));
        foreach (MethodDeclarationSyntax method in tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>())
        {
            FileLinePositionSpan lines = method.GetLocation().GetLineSpan();
            int length = lines.EndLinePosition.Line - lines.StartLinePosition.Line + 1;
            bool unrolledLayer = UnrolledLayerMethod.IsMatch(method.Identifier.Text) && !method.ToString().Contains("global::NetGen.Kernels.DenseKernels", StringComparison.Ordinal);
            Assert.True(length <= MethodLines || unrolledLayer, $"{method.Identifier.Text} is {length} lines");
        }
    }

    private static int LineCount(string code) => code.TrimEnd('\n').Split('\n').Length;

    private static string GenerateSample(string sample, string file) => Generate(SampleSource(sample, file));

    private static string Generate(string source)
    {
        var (result, output) = GeneratorHarness.Run(source);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.CompilerProblems(output));
        return result.GeneratedTrees.Single().ToString();
    }

    /// <summary>A sample's declaration as committed, so that the budget follows the sample.</summary>
    private static string SampleSource(string sample, string file, [CallerFilePath] string testFile = "") =>
        File.ReadAllText(Path.Combine(Path.GetDirectoryName(testFile)!, "..", "..", "samples", sample, file));
}
