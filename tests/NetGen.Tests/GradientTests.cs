using System;
using System.Linq;
using Xunit;

namespace NetGen.Tests;

/// <summary>
/// The generated backward pass against two independent oracles: a naive double-precision reference (itself checked by
/// finite differences in double), and central finite differences of the generated float loss.
/// </summary>
public class GradientTests
{
    private const int Seeds = 3;

    [Theory]
    [MemberData(nameof(NetworkCatalog.Names), MemberType = typeof(NetworkCatalog))]
    public void Reference_gradients_match_finite_differences_in_double(string name)
    {
        INetwork network = NetworkCatalog.Create(name);
        var reference = ReferenceNetwork.Parse(network.Architecture);
        double[] parameters = network.Parameters.ToArray().Select(p => (double)p).ToArray();
        var (input, target) = NetworkCatalog.Sample(network, seed: 7);

        double[] analytic = reference.Evaluate(parameters, input, target).Gradients;
        const double h = 1e-6;
        for (int p = 0; p < parameters.Length; p++)
        {
            double saved = parameters[p];
            parameters[p] = saved + h;
            double plus = reference.Loss(parameters, input, target);
            parameters[p] = saved - h;
            double minus = reference.Loss(parameters, input, target);
            parameters[p] = saved;
            double numeric = (plus - minus) / (2 * h);
            Assert.True(
                Math.Abs(numeric - analytic[p]) <= 1e-6 + 1e-5 * Math.Abs(numeric),
                $"{name} parameter {p}: reference {analytic[p]:R}, finite difference {numeric:R}");
        }
    }

    [Theory]
    [MemberData(nameof(NetworkCatalog.Names), MemberType = typeof(NetworkCatalog))]
    public void Forward_loss_and_gradients_match_the_double_precision_reference(string name)
    {
        INetwork network = NetworkCatalog.Create(name);
        var reference = ReferenceNetwork.Parse(network.Architecture);
        var output = new float[network.OutputSize];
        for (int seed = 0; seed < Seeds; seed++)
        {
            network.InitializeParameters(seed);
            network.ZeroGradients();
            var (input, target) = NetworkCatalog.Sample(network, seed + 100);
            network.Forward(input, output);
            float loss = network.Backward(target);

            var expected = reference.Evaluate(network.Parameters.ToArray().Select(p => (double)p).ToArray(), input, target);
            Numeric.AssertClose(expected.Output, output, 1e-5, $"{name} seed {seed} output");
            Numeric.AssertClose(new[] { expected.Loss }, new[] { loss }, 1e-5, $"{name} seed {seed} loss");
            Numeric.AssertClose(expected.Gradients, network.Gradients.ToArray(), 1e-5, $"{name} seed {seed} gradient");
        }
    }

    [Theory]
    [MemberData(nameof(NetworkCatalog.Names), MemberType = typeof(NetworkCatalog))]
    public void Gradients_match_central_finite_differences_of_the_generated_loss(string name)
    {
        INetwork network = NetworkCatalog.Create(name);
        network.InitializeParameters(11);
        var (input, target) = NetworkCatalog.Sample(network, seed: 12);
        var output = new float[network.OutputSize];
        network.ZeroGradients();
        network.Forward(input, output);
        network.Backward(target);
        float[] analytic = network.Gradients.ToArray();

        const float h = 1e-2f;
        Span<float> parameters = network.Parameters;
        int mismatches = 0;
        string firstMismatch = "";
        for (int p = 0; p < parameters.Length; p++)
        {
            float saved = parameters[p];
            parameters[p] = saved + h;
            double plus = LossOf(network, input, target, output);
            parameters[p] = saved - h;
            double minus = LossOf(network, input, target, output);
            parameters[p] = saved;
            double numeric = (plus - minus) / (2 * h);
            if (Math.Abs(numeric - analytic[p]) > 2e-3 + 2e-2 * Math.Abs(numeric))
            {
                mismatches++;
                firstMismatch = firstMismatch.Length > 0 ? firstMismatch : $"parameter {p}: backward {analytic[p]:R}, finite difference {numeric:R}";
            }
        }

        // A ReLU kink inside ±h can spoil a handful of differences; a wrong formula spoils many.
        Assert.True(mismatches <= parameters.Length / 50, $"{name}: {mismatches} of {parameters.Length} differ, e.g. {firstMismatch}");
    }

    [Theory]
    [MemberData(nameof(NetworkCatalog.Names), MemberType = typeof(NetworkCatalog))]
    public void Backward_adds_to_the_gradients_instead_of_overwriting_them(string name)
    {
        INetwork network = NetworkCatalog.Create(name);
        var output = new float[network.OutputSize];
        var (input1, target1) = NetworkCatalog.Sample(network, seed: 1);
        var (input2, target2) = NetworkCatalog.Sample(network, seed: 2);

        network.ZeroGradients();
        network.Forward(input1, output);
        network.Backward(target1);
        float[] first = network.Gradients.ToArray();
        network.ZeroGradients();
        network.Forward(input2, output);
        network.Backward(target2);
        float[] second = network.Gradients.ToArray();

        network.ZeroGradients();
        network.Forward(input1, output);
        network.Backward(target1);
        network.Forward(input2, output);
        network.Backward(target2);

        Numeric.AssertClose(first.Zip(second, (a, b) => (double)a + b).ToArray(), network.Gradients.ToArray(), 1e-6, name);
        network.ZeroGradients();
        Assert.All(network.Gradients.ToArray(), g => Assert.Equal(0f, g));
    }

    private static double LossOf(INetwork network, float[] input, float[] target, float[] output)
    {
        network.Forward(input, output);
        return network.Backward(target);
    }
}
