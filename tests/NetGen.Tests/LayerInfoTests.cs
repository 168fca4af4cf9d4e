using System.Linq;
using NetGen.Tests.Networks;
using Xunit;

namespace NetGen.Tests;

/// <summary>What <see cref="INetwork.Layers"/> tells code that works a layer at a time.</summary>
public class LayerInfoTests
{
    [Fact]
    public void Each_dense_layer_is_described_with_its_shapes_activation_and_parameter_blocks()
    {
        var network = new MnistSubsetNet();

        Assert.Equal(2, network.Layers.Count);
        LayerInfo hidden = network.Layers[0], output = network.Layers[1];
        Assert.Equal((0, LayerKind.Dense, Activation.ReLU), (hidden.Index, hidden.Kind, hidden.Activation));
        Assert.Equal(TensorShape.Vector(784), hidden.InputShape);
        Assert.Equal(TensorShape.Vector(64), hidden.OutputShape);
        Assert.Equal(new[] { "weight", "bias" }, hidden.Parameters.Select(block => block.Name));
        Assert.Equal(new[] { 784, 64 }, hidden.Parameters[0].Shape);
        Assert.Equal(new[] { 64 }, hidden.Parameters[1].Shape);
        Assert.Equal((0, 784 * 64), (hidden.Parameters[0].Offset, hidden.Parameters[1].Offset));
        Assert.Equal((1, Activation.Softmax, 784 * 64 + 64), (output.Index, output.Activation, output.ParameterOffset));
        Assert.Equal("1: Dense 64 → 10 (Softmax)", output.ToString());
    }

    [Theory]
    [MemberData(nameof(NetworkCatalog.Names), MemberType = typeof(NetworkCatalog))]
    public void Layers_chain_their_shapes_and_tile_the_parameters_without_gaps(string name)
    {
        INetwork network = NetworkCatalog.Create(name);

        int offset = 0, length = network.InputSize;
        foreach (LayerInfo layer in network.Layers)
        {
            Assert.Equal(length, layer.InputShape.Length);
            Assert.Equal(layer.ParameterCount > 0 ? offset : 0, layer.ParameterOffset);
            int first = offset;
            foreach (ParameterBlock block in layer.Parameters)
            {
                Assert.Equal(offset, block.Offset);
                offset += block.Length;
            }

            Assert.Equal(offset - first, layer.ParameterCount);
            length = layer.OutputShape.Length;
        }

        Assert.Equal(network.OutputSize, length);
        Assert.Equal(network.ParameterCount, offset);
    }

    [Fact]
    public void Tensor_shapes_print_as_a_length_or_channels_by_height_by_width()
    {
        Assert.Equal("784", TensorShape.Vector(784).ToString());
        Assert.Equal("1×28×28", new TensorShape(1, 28, 28).ToString());
        Assert.Equal(784, new TensorShape(1, 28, 28).Length);
        Assert.Throws<System.ArgumentOutOfRangeException>(() => TensorShape.Vector(0));
    }

    [Theory]
    [MemberData(nameof(NetworkCatalog.Names), MemberType = typeof(NetworkCatalog))]
    public void The_generated_pytorch_twin_is_the_one_the_runtime_maps_parameters_by(string name)
    {
        INetwork network = NetworkCatalog.Create(name);
        object? generated = network.GetType().GetField("PyTorchModule")!.GetRawConstantValue();
        Assert.Equal(PyTorchTwin.Describe(network.Layers), generated);
    }

    [Fact]
    public void A_new_network_starts_in_evaluation_mode()
    {
        Assert.Equal(NetworkMode.Evaluation, new XorNet().Mode);
    }
}
