using System;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>
/// Each bad declaration gets exactly its diagnostic, at the span marked [| |] in the source, and no generated code.
/// </summary>
public class DiagnosticTests
{
    [Theory]
    [InlineData("NG0001", "[Network(Loss.MeanSquaredError)] [Input(2)] [Dense(1, Activation.Identity)] public class [|Net|] { }")]
    [InlineData("NG0002", "public class [|Outer|] { [Network(Loss.MeanSquaredError)] [Input(2)] [Dense(1, Activation.Identity)] public partial class Net { } }")]
    [InlineData("NG0003", "[Network(Loss.MeanSquaredError)] [Input(2)] [Dense(1, Activation.Identity)] public partial class [|Net|]<T> { }")]
    [InlineData("NG0004", "[Network(Loss.MeanSquaredError)] [Dense(1, Activation.Identity)] public partial class [|Net|] { }")]
    [InlineData("NG0005", "[Network(Loss.MeanSquaredError)] [Input(2)] [[|Input(3)|]] [Dense(1, Activation.Identity)] public partial class Net { }")]
    [InlineData("NG0006", "[Network(Loss.MeanSquaredError)] [Dense(1, Activation.Identity)] [[|Input(2)|]] public partial class Net { }")]
    [InlineData("NG0007", "[Network(Loss.MeanSquaredError)] [Input(2)] public partial class [|Net|] { }")]
    [InlineData("NG0008", "[Network(Loss.MeanSquaredError)] [Input(2)] [Dense([|0|], Activation.Identity)] public partial class Net { }")]
    [InlineData("NG0008", "[Network(Loss.MeanSquaredError)] [Input([|-3|])] [Dense(1, Activation.Identity)] public partial class Net { }")]
    [InlineData("NG0009", "[Network(Loss.MeanSquaredError)] [Input(100000)] [Dense(100000, Activation.ReLU)] [Dense(1, Activation.Identity)] public partial class [|Net|] { }")]
    [InlineData("NG0010", "[Network(Loss.CrossEntropy)] [Input(2)] [Dense(3, [|Activation.Softmax|])] [Dense(2, Activation.Softmax)] public partial class Net { }")]
    [InlineData("NG0011", "[Network([|Loss.MeanSquaredError|])] [Input(2)] [Dense(2, Activation.Softmax)] public partial class Net { }")]
    [InlineData("NG0012", "[Network(Loss.CrossEntropy)] [Input(2)] [Dense(2, [|Activation.Sigmoid|])] public partial class Net { }")]
    [InlineData("NG0013", "[Network(Loss.BinaryCrossEntropy)] [Input(2)] [Dense(1, [|Activation.Tanh|])] public partial class Net { }")]
    [InlineData("NG0014", "[Network(Loss.MeanSquaredError)] [Input(2)] [Dense(1, [|(Activation)42|])] public partial class Net { }")]
    [InlineData("NG0014", "[Network([|(Loss)7|])] [Input(2)] [Dense(1, Activation.Identity)] public partial class Net { }")]
    [InlineData("NG0015", "[Network(Loss.MeanSquaredError)] [Input(2)] public partial class Net { } [[|Dense(1, Activation.Identity)|]] public partial class Net { }")]
    [InlineData("NG0016", "[Network(Loss.MeanSquaredError)] [Input(2)] [Dense(1, Activation.Identity)] public partial class Net { public void [|Forward|](System.ReadOnlySpan<float> x, System.Span<float> y) { } }")]
    [InlineData("NG0016", "[Network(Loss.MeanSquaredError)] [Input(2)] [Dense(1, Activation.Identity)] public partial class Net { public int [|Forward|] => 0; }")]
    [InlineData("NG0016", "[Network(Loss.MeanSquaredError)] [Input(2)] [Dense(1, Activation.Identity)] public partial class Net { void [|Layer1Forward|]() { } }")]
    [InlineData("NG0019", "[Network(Loss.MeanSquaredError)] [Input(2)] [Dense(1, Activation.Identity)] public partial struct [|Net|] { }")]
    [InlineData("NG0019", "[Network(Loss.MeanSquaredError)] [Input(2)] [Dense(1, Activation.Identity)] public partial record struct [|Net|] { }")]
    [InlineData("NG0019", "[Network(Loss.MeanSquaredError)] [Input(2)] [Dense(1, Activation.Identity)] public partial interface [|Net|] { }")]
    [InlineData("NG0016", "[Network(Loss.MeanSquaredError)] [Input(2)] [Dense(1, Activation.Identity)] public partial class Net { private int [|Layer1Outputs|]; }")]
    [InlineData("NG0018", "[Network(Loss.MeanSquaredError, [|UnrollThreshold = -1|])] [Input(2)] [Dense(1, Activation.Identity)] public partial class Net { }")]
    [InlineData("NG0008", "[Network(Loss.MeanSquaredError)] [Input(1, 8, 8)] [Conv2D([|0|], 3, Activation.ReLU)] [Dense(1, Activation.Identity)] public partial class Net { }")]
    [InlineData("NG0008", "[Network(Loss.MeanSquaredError)] [Input(1, 8, 8)] [Conv2D(2, [|-1|], Activation.ReLU)] [Dense(1, Activation.Identity)] public partial class Net { }")]
    [InlineData("NG0008", "[Network(Loss.MeanSquaredError)] [Input(1, 8, 8)] [Conv2D(2, 3, Activation.ReLU, [|Stride = 0|])] [Dense(1, Activation.Identity)] public partial class Net { }")]
    [InlineData("NG0008", "[Network(Loss.MeanSquaredError)] [Input(1, 8, [|0|])] [Conv2D(2, 3, Activation.ReLU)] [Dense(1, Activation.Identity)] public partial class Net { }")]
    [InlineData("NG0008", "[Network(Loss.MeanSquaredError)] [Input(1, 8, 8)] [MaxPool2D([|0|])] [Dense(1, Activation.Identity)] public partial class Net { }")]
    [InlineData("NG0010", "[Network(Loss.CrossEntropy)] [Input(1, 8, 8)] [Conv2D(2, 3, [|Activation.Softmax|])] [Dense(2, Activation.Softmax)] public partial class Net { }")]
    [InlineData("NG0020", "[Network(Loss.MeanSquaredError)] [Input(1, 8, 8)] [Conv2D(2, [|9|], Activation.ReLU)] [Dense(1, Activation.Identity)] public partial class Net { }")]
    [InlineData("NG0020", "[Network(Loss.MeanSquaredError)] [Input(1, 8, 8)] [Conv2D(2, 5, Activation.ReLU)] [MaxPool2D([|5|])] [Dense(1, Activation.Identity)] public partial class Net { }")]
    [InlineData("NG0021", "[Network(Loss.MeanSquaredError)] [Input(1, 8, 8)] [Conv2D(2, 3, Activation.ReLU, [|Stride = 2|])] [Dense(1, Activation.Identity)] public partial class Net { }")]
    [InlineData("NG0021", "[Network(Loss.MeanSquaredError)] [Input(1, 7, 7)] [[|MaxPool2D(2)|]] [Dense(1, Activation.Identity)] public partial class Net { }")]
    [InlineData("NG0022", "[Network(Loss.MeanSquaredError)] [Input(4)] [Dense(3, Activation.ReLU)] [Dropout([|1.0|])] [Dense(1, Activation.Identity)] public partial class Net { }")]
    [InlineData("NG0022", "[Network(Loss.MeanSquaredError)] [Input(4)] [Dropout([|-0.1f|])] [Dense(1, Activation.Identity)] public partial class Net { }")]
    [InlineData("NG0023", "[Network(Loss.MeanSquaredError)] [Input(64)] [[|Conv2D(2, 3, Activation.ReLU)|]] [Dense(1, Activation.Identity)] public partial class Net { }")]
    [InlineData("NG0023", "[Network(Loss.MeanSquaredError)] [Input(1, 8, 8)] [Dense(16, Activation.ReLU)] [[|MaxPool2D(2)|]] [Dense(1, Activation.Identity)] public partial class Net { }")]
    [InlineData("NG0023", "[Network(Loss.MeanSquaredError)] [Input(1, 8, 8)] [Flatten] [[|AvgPool2D(2)|]] [Dense(1, Activation.Identity)] public partial class Net { }")]
    [InlineData("NG0024", "[Network(Loss.MeanSquaredError)] [Input(1, 8, 8)] [Dense(4, Activation.ReLU)] [[|Dropout(0.5)|]] public partial class Net { }")]
    [InlineData("NG0025", "[Network(Loss.MeanSquaredError)] [Input(1, 8, 8)] [Conv2D(2, 3, Activation.ReLU, [|Padding = -1|])] [Dense(1, Activation.Identity)] public partial class Net { }")]
    public void A_bad_declaration_gets_its_diagnostic_at_the_offending_syntax(string id, string markedSource)
    {
        AssertSingleDiagnostic(id, "using NetGen;\n" + markedSource);
    }

    [Fact]
    public void An_old_language_version_gets_NG0017()
    {
        AssertSingleDiagnostic(
            "NG0017",
            "using NetGen;\n[Network(Loss.MeanSquaredError)] [Input(2)] [Dense(1, Activation.Identity)] public partial class [|Net|] { }",
            GeneratorHarness.ParseOptions(LanguageVersion.CSharp8));
    }

    [Fact]
    public void A_target_framework_without_dotnet_8_vector_apis_gets_NG0017()
    {
        string netstandard = typeof(DiagnosticTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "NetStandard20Reference").Value!;
        var references = new[]
        {
            MetadataReference.CreateFromFile(netstandard),
            MetadataReference.CreateFromFile(typeof(NetGen.INetwork).Assembly.Location),
        };
        var (result, _) = GeneratorHarness.Run(
            "using NetGen;\n[Network(Loss.MeanSquaredError)] [Input(2)] [Dense(1, Activation.Identity)] public partial class Net { }",
            references: references);

        Diagnostic diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("NG0017", diagnostic.Id);
        Assert.Contains("LoadUnsafe", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void A_failure_inside_the_generator_becomes_NG9999_naming_the_network_instead_of_a_crash()
    {
        var broken = new NetworkGenerator { EmitSource = (_, _) => throw new InvalidOperationException("emitter bug") };

        var (result, _) = GeneratorHarness.Run(
            "using NetGen;\n[Network(Loss.MeanSquaredError)] [Input(2)] [Dense(1, Activation.Identity)] public partial class Net { }",
            generator: broken);

        Diagnostic diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("NG9999", diagnostic.Id);
        string message = diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("'Net'", message);
        Assert.Contains("emitter bug", message);
        Assert.Contains("bug in NetGen", message);
        Assert.All(result.Results, r => Assert.Null(r.Exception));
    }

    [Fact]
    public void An_argument_the_compiler_cannot_bind_gets_only_the_compilers_error()
    {
        var (result, output) = GeneratorHarness.Run(
            "using NetGen;\n[Network(Loss.MeanSquaredError)] [Input(2)] [Dense(\"wide\", Activation.Identity)] public partial class Net { }");

        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.GeneratedTrees);
        Assert.Contains(output.GetDiagnostics(), d => d.Id == "CS1503");
    }

    [Fact]
    public void A_too_large_network_is_told_its_size_and_the_limit()
    {
        var (result, _) = GeneratorHarness.Run(
            "using NetGen;\n[Network(Loss.MeanSquaredError)] [Input(100000)] [Dense(100000, Activation.ReLU)] [Dense(1, Activation.Identity)] public partial class Net { }");

        string message = Assert.Single(result.Diagnostics).GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("10,000,400,002", message);
        Assert.Contains("268,435,456", message);
    }

    [Fact]
    public void A_stride_that_leaves_input_unread_is_told_the_strides_and_paddings_that_fit()
    {
        var (result, _) = GeneratorHarness.Run(
            "using NetGen;\n[Network(Loss.MeanSquaredError)] [Input(1, 28, 28)] [Conv2D(6, 5, Activation.ReLU, Stride = 3)] [Dense(1, Activation.Identity)] public partial class Net { }");

        // 28 − 5 = 23 rows after the first window: of the strides up to the window only 1 divides it; with stride 3,
        // Padding = 2 makes it 27.
        string message = Assert.Single(result.Diagnostics).GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("strides that fit: 1", message);
        Assert.Contains("keep stride 3 with Padding = 2", message);
    }

    [Fact]
    public void An_explicit_flatten_generates_the_same_network_as_the_implicit_one()
    {
        const string Implicit = "using NetGen;\n[Network(Loss.CrossEntropy)] [Input(1, 8, 8)] [Conv2D(2, 3, Activation.ReLU)] [Dense(3, Activation.Softmax)] public partial class Net { }";
        string code = Assert.Single(GeneratorHarness.Run(Implicit).Result.GeneratedTrees).ToString();
        string flattened = Assert.Single(GeneratorHarness.Run(Implicit.Replace("[Dense(3", "[Flatten] [Dense(3", StringComparison.Ordinal)).Result.GeneratedTrees).ToString();
        Assert.Equal(code, flattened);
    }

    [Fact]
    public void Every_diagnostic_names_its_help_section()
    {
        var (result, _) = GeneratorHarness.Run("using NetGen;\n[Network(Loss.MeanSquaredError)] [Input(2)] public partial class Net { }");
        Diagnostic diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("docs/diagnostics.md#ng0007", diagnostic.Descriptor.HelpLinkUri);
        Assert.Contains("'Net'", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static void AssertSingleDiagnostic(string id, string markedSource, CSharpParseOptions? options = null)
    {
        int start = markedSource.IndexOf("[|", System.StringComparison.Ordinal);
        int end = markedSource.IndexOf("|]", System.StringComparison.Ordinal) - 2;
        string source = markedSource.Replace("[|", "").Replace("|]", "");

        var (result, _) = GeneratorHarness.Run(source, options);

        Diagnostic diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(TextSpan.FromBounds(start, end), diagnostic.Location.SourceSpan);
        Assert.Empty(result.GeneratedTrees);
    }
}
