using System;
using System.IO;
using System.Linq;
using System.Runtime.Loader;
using System.Text;
using CsCheck;
using Microsoft.CodeAnalysis;
using NetGen.Tests;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>Random declarations, valid and invalid, through the generator; random valid networks compiled and run.</summary>
public class PropertyTests
{
    private const int DeclarationCases = 4_000;
    private const int CompiledNetworks = 200;

    [Fact]
    public void Random_declarations_never_crash_the_generator_and_get_exactly_their_expected_diagnostic()
    {
        RandomDeclaration.Any.Sample(declaration =>
        {
            var (result, _) = GeneratorHarness.Run(declaration.Render("Net"));

            Assert.All(result.Results, r => Assert.Null(r.Exception));
            string[] ids = result.Diagnostics.Select(d => d.Id).ToArray();
            if (declaration.ExpectedId is null)
            {
                Assert.Empty(ids);
                Assert.Single(result.GeneratedTrees);
            }
            else
            {
                Assert.Equal(new[] { declaration.ExpectedId }, ids);
                Assert.Empty(result.GeneratedTrees);
            }
        }, iter: DeclarationCases, seed: "0N0XTYGVh6Ke");
    }

    [Fact]
    public void Two_hundred_random_valid_networks_compile_cleanly_load_and_match_the_reference_gradients()
    {
        RandomDeclaration.Valid.Array[CompiledNetworks].Sample(declarations =>
        {
            var source = new StringBuilder();
            for (int i = 0; i < declarations.Length; i++)
            {
                source.Append(declarations[i].Render($"Net{i}").Replace("using NetGen;\n", ""));
            }

            var (result, output) = GeneratorHarness.Run("using NetGen;\n" + source);
            Assert.Empty(result.Diagnostics);
            Assert.Equal(CompiledNetworks, result.GeneratedTrees.Length);
            Assert.Empty(GeneratorHarness.CompilerProblems(output));

            var context = new AssemblyLoadContext("random-networks", isCollectible: true);
            try
            {
                using var image = new MemoryStream();
                Assert.True(output.Emit(image).Success);
                image.Position = 0;
                var assembly = context.LoadFromStream(image);
                for (int i = 0; i < declarations.Length; i++)
                {
                    var network = (INetwork)Activator.CreateInstance(assembly.GetType($"Net{i}")!)!;
                    CheckGradients(network, seed: i);
                }
            }
            finally
            {
                context.Unload();
            }
        }, iter: 1, threads: 1, seed: "0P4sSy6t4sMd");
    }

    /// <summary>Gradients against the double-precision reference, and against central differences of the float loss.</summary>
    private static void CheckGradients(INetwork network, int seed)
    {
        var random = new SeededRandom(seed);
        network.InitializeParameters(seed);
        float[] input = Enumerable.Range(0, network.InputSize).Select(_ => random.NextSymmetric(1f)).ToArray();
        float[] target = Enumerable.Range(0, network.OutputSize).Select(_ => random.NextSingle()).ToArray();
        if (network.Architecture.EndsWith("CrossEntropy", StringComparison.Ordinal) && !network.Architecture.EndsWith("BinaryCrossEntropy", StringComparison.Ordinal))
        {
            float sum = target.Sum();
            target = target.Select(t => t / sum).ToArray();
        }

        var output = new float[network.OutputSize];
        network.ZeroGradients();
        network.Forward(input, output);
        float loss = network.Backward(target);
        float[] gradients = network.Gradients.ToArray();

        var expected = ReferenceNetwork.Parse(network.Architecture).Evaluate(network.Parameters.ToArray().Select(p => (double)p).ToArray(), input, target);
        Numeric.AssertClose(expected.Output, output, 1e-5, network.Architecture + " output");
        Numeric.AssertClose(new[] { expected.Loss }, new[] { loss }, 1e-5, network.Architecture + " loss");
        Numeric.AssertClose(expected.Gradients, gradients, 1e-4, network.Architecture + " gradients");

        const float h = 1e-2f;
        Span<float> parameters = network.Parameters;
        int mismatches = 0, checkedCount = Math.Min(parameters.Length, 24);
        for (int k = 0; k < checkedCount; k++)
        {
            int p = random.NextInt32(parameters.Length);
            float saved = parameters[p];
            parameters[p] = saved + h;
            network.Forward(input, output);
            double plus = network.EvaluateLoss(target);
            parameters[p] = saved - h;
            network.Forward(input, output);
            double minus = network.EvaluateLoss(target);
            parameters[p] = saved;
            double numeric = (plus - minus) / (2 * h);
            mismatches += Math.Abs(numeric - gradients[p]) > 2e-3 + 2e-2 * Math.Abs(numeric) ? 1 : 0;
        }

        // A ReLU kink within ±h can spoil a difference; a wrong formula spoils most of them.
        Assert.True(mismatches <= 2, $"{network.Architecture}: {mismatches} of {checkedCount} finite differences disagree");
    }
}
