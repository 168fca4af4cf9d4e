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
            // About half are convolutional networks; most of those convolve or pool before their Dense layers.
            Assert.InRange(declarations.Count(d => d.IsImage), CompiledNetworks / 3, CompiledNetworks);
            Assert.InRange(declarations.Count(d => d.Layers.Any(layer => layer.IsSpatial)), CompiledNetworks / 5, CompiledNetworks);
            var source = new StringBuilder();
            for (int i = 0; i < declarations.Length; i++)
            {
                source.Append(declarations[i].Render($"Net{i}").Replace("using NetGen;\n", ""));
            }

            var (result, output) = GeneratorHarness.Run("using NetGen;\n" + source);
            Assert.Empty(result.Diagnostics);
            Assert.Equal(CompiledNetworks, result.GeneratedTrees.Length);

            var context = new AssemblyLoadContext("random-networks", isCollectible: true);
            try
            {
                // Emit reports the same errors and warnings as GetDiagnostics (CompilerProblems) but binds the 200
                // networks' bodies once instead of twice: most of this test's time.
                using var image = new MemoryStream();
                var emitted = output.Emit(image);
                Assert.Empty(emitted.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning));
                Assert.True(emitted.Success);
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

        // Biases start at 0, so a layer that reads only zeros (a convolution whose windows all fall in the padding, as
        // in Input(3×1×5) MaxPool2D(1,Stride=2) Conv2D(3,1,Tanh,Stride=2,Padding=1) …) gives the next ReLU exactly 0:
        // a kink where the derivative is a convention and no difference agrees with it. Nudge every parameter off it.
        Span<float> initial = network.Parameters;
        for (int i = 0; i < initial.Length; i++)
        {
            initial[i] += random.NextSymmetric(0.1f);
        }

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

        // Finite differences, two ways. A kink (ReLU at 0, a max-pooling window whose maximum changes) within ±h of a
        // parameter spoils its central difference, and it does not stay to one parameter: a wide layer feeding a narrow
        // ReLU layer, or a convolution whose few weights are shared by every position, puts one kink under a third of the
        // parameters at once (seen at h = 1e-2 for Input(3×9×5) Conv2D(4,1,Tanh,Stride=2,Padding=2) Dense(3,ReLU) …).
        // So the exact gradient is checked against the double-precision reference loss at h = 1e-6, too close to cross a
        // kink in practice, an oracle that shares nothing with either backward pass; and the float loss's own
        // differences at h = 1e-2 (float cannot resolve smaller ones) against the reference's at the very same
        // perturbed parameters, which cross the same kinks.
        var reference = ReferenceNetwork.Parse(network.Architecture);
        double[] exact = network.Parameters.ToArray().Select(p => (double)p).ToArray();
        const float h = 1e-2f;
        const double exactH = 1e-6;
        Span<float> parameters = network.Parameters;
        int gradientMismatches = 0, lossMismatches = 0, checkedCount = Math.Min(parameters.Length, 24);
        for (int k = 0; k < checkedCount; k++)
        {
            int p = random.NextInt32(parameters.Length);
            float saved = parameters[p];
            parameters[p] = saved + h;
            double referencePlus = ReferenceLoss(reference, exact, p, parameters[p], input, target);
            network.Forward(input, output);
            double plus = network.EvaluateLoss(target);
            parameters[p] = saved - h;
            double referenceMinus = ReferenceLoss(reference, exact, p, parameters[p], input, target);
            network.Forward(input, output);
            double minus = network.EvaluateLoss(target);
            parameters[p] = saved;
            double numeric = (plus - minus) / (2 * h);
            double referenceNumeric = (referencePlus - referenceMinus) / (2 * h);
            lossMismatches += Math.Abs(numeric - referenceNumeric) > 2e-3 + 2e-2 * Math.Abs(referenceNumeric) ? 1 : 0;

            double exactNumeric = (ReferenceLoss(reference, exact, p, saved + exactH, input, target) - ReferenceLoss(reference, exact, p, saved - exactH, input, target)) / (2 * exactH);
            gradientMismatches += Math.Abs(exactNumeric - gradients[p]) > 2e-4 + 1e-3 * Math.Abs(exactNumeric) ? 1 : 0;
        }

        // One is allowed each: a kink within float rounding of a perturbed point, or within 1e-6 of the parameter.
        Assert.True(gradientMismatches <= 1, $"{network.Architecture}: {gradientMismatches} of {checkedCount} gradients disagree with the reference loss's differences");
        Assert.True(lossMismatches <= 1, $"{network.Architecture}: {lossMismatches} of {checkedCount} float loss differences disagree with the reference's");
    }

    /// <summary>The reference network's loss with parameter <paramref name="index"/> set to <paramref name="value"/>.</summary>
    private static double ReferenceLoss(ReferenceNetwork reference, double[] parameters, int index, double value, float[] input, float[] target)
    {
        double saved = parameters[index];
        parameters[index] = value;
        double loss = reference.Loss(parameters, input, target);
        parameters[index] = saved;
        return loss;
    }
}
