using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>Edits that do not change a network must not re-run its emission.</summary>
public class IncrementalTests
{
    private const string Network = """
        using NetGen;
        [Network(Loss.BinaryCrossEntropy)] [Input(2)] [Dense(4, Activation.Tanh)] [Dense(1, Activation.Sigmoid)]
        public partial class XorNet { public int Helper() { return 1; } }
        """;

    [Fact]
    public void An_unrelated_file_added_leaves_the_emission_cached()
    {
        var (driver, compilation) = FirstRun();
        compilation = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("class Unrelated { }", GeneratorHarness.ParseOptions()));

        AssertSpecsUnchanged(driver.RunGenerators(compilation).GetRunResult());
    }

    [Fact]
    public void A_method_body_edited_in_the_network_class_leaves_the_emission_cached()
    {
        var (driver, compilation) = FirstRun();
        SyntaxTree old = compilation.SyntaxTrees.Single();
        compilation = compilation.ReplaceSyntaxTree(old, old.WithChangedText(old.GetText().Replace(Network.IndexOf("return 1"), "return 1".Length, "return 2")));

        AssertSpecsUnchanged(driver.RunGenerators(compilation).GetRunResult());
    }

    [Fact]
    public void A_layer_size_edited_regenerates_the_source()
    {
        var (driver, compilation) = FirstRun();
        SyntaxTree old = compilation.SyntaxTrees.Single();
        compilation = compilation.ReplaceSyntaxTree(old, old.WithChangedText(old.GetText().Replace(Network.IndexOf("Dense(4"), "Dense(4".Length, "Dense(5")));

        var steps = driver.RunGenerators(compilation).GetRunResult().Results.Single().TrackedSteps[NetworkGenerator.TrackingNames.Spec];
        Assert.Contains(steps.SelectMany(step => step.Outputs), output => output.Reason == IncrementalStepRunReason.Modified);
    }

    private static (GeneratorDriver Driver, Compilation Compilation) FirstRun()
    {
        Compilation compilation = GeneratorHarness.Compilation(Network);
        GeneratorDriver driver = GeneratorHarness.Driver(trackSteps: true).RunGenerators(compilation);
        return (driver, compilation);
    }

    private static void AssertSpecsUnchanged(GeneratorDriverRunResult result)
    {
        GeneratorRunResult run = result.Results.Single();
        var specOutputs = run.TrackedSteps[NetworkGenerator.TrackingNames.Spec].SelectMany(step => step.Outputs).ToList();
        Assert.NotEmpty(specOutputs);
        Assert.All(specOutputs, output => Assert.True(
            output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
            $"the spec step ran with reason {output.Reason}"));
        Assert.All(run.TrackedOutputSteps.SelectMany(step => step.Value).SelectMany(step => step.Outputs), output => Assert.True(
            output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
            $"an output step ran with reason {output.Reason}"));
    }
}
