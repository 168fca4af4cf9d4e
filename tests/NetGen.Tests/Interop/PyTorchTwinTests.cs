using System;
using NetGen.Tests.Networks;
using Xunit;

namespace NetGen.Tests.Interop;

public sealed class PyTorchTwinTests
{
    [Fact]
    public void A_two_hidden_layer_classifier_is_linear_relu_linear_relu_linear_with_its_parameters_at_0_2_4()
    {
        LayerInfo[] layers =
        [
            LayerInfo.Dense(0, 784, 256, Activation.ReLU, 0, 200704),
            LayerInfo.Dense(1, 256, 128, Activation.ReLU, 200960, 233728),
            LayerInfo.Dense(2, 128, 10, Activation.Softmax, 233856, 235136),
        ];

        Assert.Equal(
            "torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))",
            PyTorchTwin.Describe(layers));
        Assert.Equal(["0", "2", "4"], PyTorchTwin.ParameterPrefixes(layers));
    }

    [Fact]
    public void Every_activation_has_its_module_and_identity_none()
    {
        var network = new WideVectorMse();
        Assert.Equal(
            "torch.nn.Sequential(torch.nn.Linear(9, 11), torch.nn.Linear(11, 13), torch.nn.Sigmoid(), " +
            "torch.nn.Linear(13, 17), torch.nn.LeakyReLU(0.01), torch.nn.Linear(17, 4))",
            PyTorchTwin.Describe(network.Layers));
        Assert.Equal(["0", "1", "3", "5"], PyTorchTwin.ParameterPrefixes(network.Layers));

        Assert.Equal(
            "torch.nn.Sequential(torch.nn.Linear(37, 19), torch.nn.Tanh(), torch.nn.Linear(19, 23), torch.nn.ReLU(), " +
            "torch.nn.Linear(23, 5), torch.nn.Sigmoid())",
            PyTorchTwin.Describe(new WideVectorBce().Layers));
    }

    [Fact]
    public void Softmax_is_left_to_the_loss_so_the_twin_ends_in_logits()
    {
        Assert.Equal(
            "torch.nn.Sequential(torch.nn.Linear(784, 64), torch.nn.ReLU(), torch.nn.Linear(64, 10))",
            PyTorchTwin.Describe(new MnistSubsetNet().Layers));
    }

    [Fact]
    public void Null_layers_are_refused()
    {
        Assert.Throws<ArgumentNullException>(() => PyTorchTwin.Describe(null!));
        Assert.Throws<ArgumentNullException>(() => PyTorchTwin.ParameterPrefixes(null!));
    }
}
