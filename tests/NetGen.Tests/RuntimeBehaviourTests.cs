using System;
using System.Linq;
using NetGen.Tests.Networks;
using Xunit;

namespace NetGen.Tests;

public class RuntimeBehaviourTests
{
    [Fact]
    public void Forward_and_backward_allocate_nothing_over_ten_thousand_calls()
    {
        AssertNoAllocation(new XorNet(), 10_000);
        AssertNoAllocation(new MixedPathsCe(), 10_000);
        AssertNoAllocation(new WideVectorBce(), 10_000);
    }

    [Fact]
    public void Unrolled_and_vector_code_compute_the_same_network()
    {
        var unrolled = new DeepUnrolled();
        var vector = new DeepVector();
        Assert.Equal(unrolled.Parameters.ToArray(), vector.Parameters.ToArray());
        var (input, target) = NetworkCatalog.Sample(unrolled, seed: 3);
        var a = new float[DeepUnrolled.OutputSize];
        var b = new float[DeepVector.OutputSize];

        unrolled.Forward(input, a);
        vector.Forward(input, b);
        Assert.Equal(unrolled.Backward(target), vector.Backward(target), 5);
        Numeric.AssertClose(a.Select(v => (double)v).ToArray(), b, 1e-6, "outputs");
        Numeric.AssertClose(unrolled.Gradients.ToArray().Select(v => (double)v).ToArray(), vector.Gradients.ToArray(), 1e-6, "gradients");
    }

    [Fact]
    public void Wrong_span_lengths_throw_argument_exceptions_naming_expected_and_actual()
    {
        var network = new MixedPathsCe();
        var input = new float[MixedPathsCe.InputSize];
        var output = new float[MixedPathsCe.OutputSize];

        var tooShort = Assert.Throws<ArgumentException>(() => network.Forward(new float[69], output));
        Assert.Equal("input", tooShort.ParamName);
        Assert.Contains("exactly 70", tooShort.Message);
        Assert.Contains("holds 69", tooShort.Message);
        Assert.Equal("output", Assert.Throws<ArgumentException>(() => network.Forward(input, new float[11])).ParamName);

        network.Forward(input, output);
        Assert.Equal("target", Assert.Throws<ArgumentException>(() => network.Backward(new float[9])).ParamName);
    }

    [Fact]
    public void Backward_before_any_forward_throws_invalid_operation()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new XorNet().Backward(new float[1]));
        Assert.Contains("XorNet.Backward", error.Message);
        Assert.Contains("Forward", error.Message);
    }

    [Fact]
    public void Parameters_hold_each_layer_as_input_major_weights_then_biases()
    {
        Assert.Equal(2, XorNet.InputSize);
        Assert.Equal(1, XorNet.OutputSize);
        Assert.Equal(4 * 2 + 4 + 1 * 4 + 1, XorNet.ParameterCount);
        Assert.Equal(70 * 33 + 33 + 33 * 10 + 10, MixedPathsCe.ParameterCount);
        Assert.Equal("Input(2) Dense(4,Tanh) Dense(1,Sigmoid) Loss=BinaryCrossEntropy", XorNet.Architecture);

        // Biases start at zero: W1 occupies [0, 8), b1 [8, 12), W2 [12, 16), b2 [16].
        var network = new XorNet();
        Assert.All(network.Parameters.Slice(8, 4).ToArray(), b => Assert.Equal(0f, b));
        Assert.Equal(0f, network.Parameters[16]);
        Assert.DoesNotContain(0f, network.Parameters.Slice(0, 8).ToArray());

        // W1[i, o] sits at i·4 + o: only input 1 → hidden 2 and hidden 2 → output are non-zero.
        network.Parameters.Clear();
        network.Parameters[1 * 4 + 2] = 1f;
        network.Parameters[12 + 2] = 1f;
        var output = new float[1];
        network.Forward(new[] { 0f, 0.5f }, output);
        Assert.Equal(1.0 / (1.0 + Math.Exp(-Math.Tanh(0.5))), output[0], 6);
    }

    [Fact]
    public void The_same_seed_gives_the_same_parameters_and_another_seed_others()
    {
        var first = new MixedPathsCe();
        var second = new MixedPathsCe();
        Assert.Equal(first.Parameters.ToArray(), second.Parameters.ToArray());

        first.InitializeParameters(42);
        second.InitializeParameters(42);
        Assert.Equal(first.Parameters.ToArray(), second.Parameters.ToArray());

        second.InitializeParameters(43);
        Assert.NotEqual(first.Parameters.ToArray(), second.Parameters.ToArray());
    }

    [Fact]
    public void Relu_layers_get_he_bounds_and_others_xavier_bounds()
    {
        var network = new MixedPathsCe();
        network.InitializeParameters(5);
        float[] hidden = network.Parameters.Slice(0, 70 * 33).ToArray();
        float[] output = network.Parameters.Slice(70 * 33 + 33, 33 * 10).ToArray();

        // He: U(−√(6/70), √(6/70)); Xavier: U(−√(6/43), √(6/43)). The extremes of 2,310 and 330 draws come close to the bounds.
        float he = MathF.Sqrt(6f / 70), xavier = MathF.Sqrt(6f / 43);
        Assert.InRange(hidden.Max(MathF.Abs), 0.95f * he, he);
        Assert.InRange(output.Max(MathF.Abs), 0.9f * xavier, xavier);
    }

    private static void AssertNoAllocation(INetwork network, int calls)
    {
        var (input, target) = NetworkCatalog.Sample(network, seed: 1);
        var output = new float[network.OutputSize];
        SteadyStateAllocation.AssertNone(
            () =>
            {
                network.Forward(input, output);
                network.Backward(target);
            },
            calls,
            $"{network.Architecture} Forward + Backward");
    }
}

/// <summary>The documented rule is one instance per thread; instances share nothing, so that rule is enough.</summary>
public class ThreadingTests
{
    [Fact]
    public void Separate_instances_on_parallel_threads_compute_exactly_what_one_thread_computes()
    {
        var single = new Networks.MixedPathsCe();
        var (input, target) = NetworkCatalog.Sample(single, seed: 8);
        var output = new float[Networks.MixedPathsCe.OutputSize];
        single.Forward(input, output);
        float expectedLoss = single.Backward(target);
        float[] expectedGradients = single.Gradients.ToArray();

        var results = new (float Loss, float[] Gradients)[4];
        System.Threading.Tasks.Parallel.For(0, results.Length, new System.Threading.Tasks.ParallelOptions { MaxDegreeOfParallelism = 4 }, t =>
        {
            var network = new Networks.MixedPathsCe();
            var own = new float[Networks.MixedPathsCe.OutputSize];
            float loss = 0;
            for (int i = 0; i < 2_000; i++)
            {
                network.ZeroGradients();
                network.Forward(input, own);
                loss = network.Backward(target);
            }

            results[t] = (loss, network.Gradients.ToArray());
        });

        Assert.All(results, r =>
        {
            Assert.Equal(expectedLoss, r.Loss);
            Assert.Equal(expectedGradients, r.Gradients);
        });
    }
}
