using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Tests.Interop;

/// <summary>
/// The CNN fixtures of <c>make_pytorch_fixtures.py</c> in their generated classes (<c>CnnTwins.cs</c>): the generated
/// layers are the hand-built ones, the state dict reproduces PyTorch's outputs, and Backward after Forward in evaluation
/// mode gives PyTorch's per-sample losses and the gradient of their sum.
/// </summary>
public sealed class CnnFixtureTests
{
    private const double RelativeTolerance = 1e-5;

    /// <summary>
    /// Allowed max |NetGen − PyTorch| over a gradient tensor, relative to the tensor's largest |PyTorch| value. Measured:
    /// at most 1.5e-6 (LeNet-5's first bias, whose gradient sums 24×24 positions of 8 samples).
    /// </summary>
    private const double GradientTolerance = 1e-5;

    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Interop", "Fixtures");

    private static readonly Dictionary<string, Func<INetwork>> Networks = new()
    {
        [nameof(LeNet5Twin)] = () => new LeNet5Twin(),
        [nameof(OddSizeCnnTwin)] = () => new OddSizeCnnTwin(),
        [nameof(DropoutCnnTwin)] = () => new DropoutCnnTwin(),
    };

    private readonly ITestOutputHelper _output;

    public CnnFixtureTests(ITestOutputHelper output) => _output = output;

    public static TheoryData<string> Names => new(Networks.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public void The_generated_layers_are_the_hand_built_ones_and_the_generated_twin_the_fixtures(string name)
    {
        INetwork network = Networks[name]();
        var (stack, _, twin, _) = CnnInteropTests.Fixtures[name];
        IReadOnlyList<LayerInfo> expected = stack().Layers;

        Assert.Equal(expected.Select(Describe), network.Layers.Select(Describe));
        Assert.Equal(twin, network.GetType().GetField("PyTorchModule")!.GetRawConstantValue());
        Assert.Equal(twin, PyTorchTwin.Describe(network.Layers));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void A_pytorch_state_dict_reproduces_the_twins_outputs(string name)
    {
        INetwork network = Networks[name]();
        SafeTensors.Load(network, Path.Combine(Folder, $"{name}.safetensors"));
        float[] inputs = CnnInteropTests.ReadFloats($"{name}.inputs.f32"), expected = CnnInteropTests.ReadFloats($"{name}.outputs.f32");
        bool logits = CnnInteropTests.Fixtures[name].Loss == Loss.CrossEntropy;

        var output = new float[network.OutputSize];
        double worst = 0;
        for (int sample = 0; sample < inputs.Length / network.InputSize; sample++)
        {
            network.Forward(inputs.AsSpan(sample * network.InputSize, network.InputSize), output);
            double[] twin = Array.ConvertAll(expected[(sample * output.Length)..((sample + 1) * output.Length)], value => (double)value);
            if (logits)
            {
                CnnInteropTests.Softmax(twin);
            }

            for (int j = 0; j < output.Length; j++)
            {
                worst = Math.Max(worst, Math.Abs(output[j] - twin[j]) / Math.Abs(twin[j]));
            }
        }

        _output.WriteLine($"{name}: largest relative difference from PyTorch {worst:G3}");
        Assert.True(worst <= RelativeTolerance, $"{name}: the largest relative difference from PyTorch is {worst:G3}");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Backward_in_evaluation_mode_gives_pytorchs_losses_and_gradients(string name)
    {
        INetwork network = Networks[name]();
        SafeTensors.Load(network, Path.Combine(Folder, $"{name}.safetensors"));
        float[] inputs = CnnInteropTests.ReadFloats($"{name}.inputs.f32"), targets = CnnInteropTests.ReadFloats($"{name}.targets.f32");
        float[] losses = CnnInteropTests.ReadFloats($"{name}.losses.f32");
        network.Mode = NetworkMode.Evaluation;
        network.ZeroGradients();

        var output = new float[network.OutputSize];
        double worstLoss = 0;
        for (int sample = 0; sample < losses.Length; sample++)
        {
            network.Forward(inputs.AsSpan(sample * network.InputSize, network.InputSize), output);
            float loss = network.Backward(targets.AsSpan(sample * network.OutputSize, network.OutputSize));
            worstLoss = Math.Max(worstLoss, Math.Abs(loss - losses[sample]) / Math.Abs(losses[sample]));
        }

        AssertGradients(name, network, network.Gradients.ToArray(), worstLoss);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void BackwardBatch_in_evaluation_mode_gives_pytorchs_losses_and_gradients(string name)
    {
        INetwork network = Networks[name]();
        SafeTensors.Load(network, Path.Combine(Folder, $"{name}.safetensors"));
        float[] inputs = CnnInteropTests.ReadFloats($"{name}.inputs.f32"), targets = CnnInteropTests.ReadFloats($"{name}.targets.f32");
        float[] losses = CnnInteropTests.ReadFloats($"{name}.losses.f32");
        network.Mode = NetworkMode.Evaluation;
        BatchWorkspace workspace = network.CreateWorkspace(losses.Length);
        workspace.GradientSpan.Clear();

        network.ForwardBatch(workspace, inputs, new float[targets.Length]);
        float loss = network.BackwardBatch(workspace, targets);

        double sum = losses.Sum(value => (double)value);
        AssertGradients(name, network, workspace.GradientSpan.ToArray(), Math.Abs(loss - sum) / Math.Abs(sum));
    }

    /// <summary>
    /// Writes, beside <see cref="PyTorchFixtureTests.Export"/>'s files, each CNN's Save with fresh parameters, its outputs
    /// on the fixture inputs, and the gradients Backward sums on the fixture targets in evaluation mode, for
    /// <c>make_pytorch_fixtures.py check</c>; without NETGEN_PYTORCH_EXPORT it does nothing.
    /// </summary>
    [Fact]
    public void Export()
    {
        string? folder = Environment.GetEnvironmentVariable("NETGEN_PYTORCH_EXPORT");
        if (string.IsNullOrEmpty(folder))
        {
            return;
        }

        Directory.CreateDirectory(folder);
        foreach (var (name, create) in Networks)
        {
            INetwork network = create();
            network.InitializeParameters(11);
            network.Mode = NetworkMode.Evaluation;
            network.ZeroGradients();
            float[] inputs = CnnInteropTests.ReadFloats($"{name}.inputs.f32"), targets = CnnInteropTests.ReadFloats($"{name}.targets.f32");
            var outputs = new float[targets.Length];
            for (int sample = 0; sample < inputs.Length / network.InputSize; sample++)
            {
                network.Forward(inputs.AsSpan(sample * network.InputSize, network.InputSize), outputs.AsSpan(sample * network.OutputSize, network.OutputSize));
                network.Backward(targets.AsSpan(sample * network.OutputSize, network.OutputSize));
            }

            SafeTensors.Save(network, Path.Combine(folder, $"{name}.netgen.safetensors"));
            SafeTensors.Save(network, Path.Combine(folder, $"{name}.netgen-gradients.safetensors"), gradients: true);
            File.WriteAllBytes(Path.Combine(folder, $"{name}.netgen-outputs.f32"), System.Runtime.InteropServices.MemoryMarshal.AsBytes(outputs.AsSpan()).ToArray());
        }
    }

    private void AssertGradients(string name, INetwork network, float[] gradients, double lossDifference)
    {
        INetwork pytorch = Networks[name]();
        SafeTensors.Load(pytorch, Path.Combine(Folder, $"{name}.gradients.safetensors"));
        float[] expected = pytorch.Parameters.ToArray();

        double worst = 0;
        string worstBlock = "";
        foreach (LayerInfo layer in network.Layers)
        {
            foreach (ParameterBlock block in layer.Parameters)
            {
                double scale = 0, difference = 0;
                for (int i = block.Offset; i < block.Offset + block.Length; i++)
                {
                    scale = Math.Max(scale, Math.Abs(expected[i]));
                    difference = Math.Max(difference, Math.Abs(gradients[i] - expected[i]));
                }

                double relative = difference / Math.Max(scale, 1e-30);
                if (relative >= worst)
                {
                    (worst, worstBlock) = (relative, $"layer {layer.Index} {block}");
                }
            }
        }

        _output.WriteLine($"{name}: loss {lossDifference:G3} relative; worst gradient block {worstBlock} at {worst:G3} of its largest value");
        Assert.True(lossDifference <= RelativeTolerance, $"{name}: the loss differs from PyTorch's by {lossDifference:G3} relative");
        Assert.True(worst <= GradientTolerance, $"{name}: {worstBlock} differs from PyTorch's gradient by {worst:G3} of its largest value");
    }

    private static string Describe(LayerInfo layer) =>
        $"{layer} k{layer.KernelSize} s{layer.Stride} p{layer.Padding} r{layer.DropoutRate} " +
        string.Join(" ", layer.Parameters.Select(block => block.ToString()));
}
