using NetGen.Testing;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>The generated source, read as a reviewer reads it: committed snapshots that must also compile cleanly.</summary>
public class SnapshotTests
{
    [Fact]
    public void Xor_network_unrolls_its_single_sample_forward_pass()
    {
        VerifyCompilesAndMatches("""
            using NetGen;

            namespace Samples.Xor;

            [Network(Loss.BinaryCrossEntropy)]
            [Input(2)]
            [Dense(4, Activation.Tanh)]
            [Dense(1, Activation.Sigmoid)]
            public partial class XorNet { }
            """);
    }

    /// <summary>The network of samples/Mnist, declared as it is there.</summary>
    [Fact]
    public void Mnist_sample_network_calls_the_dense_kernels()
    {
        VerifyCompilesAndMatches("""
            using NetGen;

            namespace Samples.Mnist;

            [Network(Loss.CrossEntropy)]
            [Input(784)]
            [Dense(256, Activation.ReLU)]
            [Dense(128, Activation.ReLU)]
            [Dense(10, Activation.Softmax)]
            public partial class MnistMlp { }
            """);
    }

    /// <summary>LeNet-5 as issue 13 declares it: convolutions, max pools and the implicit flatten into Dense layers.</summary>
    [Fact]
    public void LeNet5_calls_the_convolution_and_pooling_kernels()
    {
        VerifyCompilesAndMatches("""
            using NetGen;

            namespace Samples.MnistCnn;

            [Network(Loss.CrossEntropy)]
            [Input(1, 28, 28)]
            [Conv2D(6, 5, Activation.ReLU)]
            [MaxPool2D(2)]
            [Conv2D(16, 5, Activation.ReLU)]
            [MaxPool2D(2)]
            [Dense(120, Activation.ReLU)]
            [Dense(84, Activation.ReLU)]
            [Dense(10, Activation.Softmax)]
            public partial class LeNet5 { }
            """);
    }

    /// <summary>Stride, padding, average pooling and dropout: the named arguments and the kinds LeNet-5 leaves out.</summary>
    [Fact]
    public void Strided_padded_network_with_average_pooling_and_dropout()
    {
        VerifyCompilesAndMatches("""
            using NetGen;

            namespace Samples.Shapes;

            [Network(Loss.MeanSquaredError)]
            [Input(3, 9, 7)]
            [Conv2D(4, 3, Activation.Tanh, Stride = 2, Padding = 1)]
            [AvgPool2D(2, Stride = 1)]
            [Flatten]
            [Dropout(0.25)]
            [Dense(5, Activation.Sigmoid)]
            public partial class StridedNet { }
            """);
    }

    [Fact]
    public void Regression_network_nested_in_partial_types_in_the_global_namespace()
    {
        VerifyCompilesAndMatches("""
            using NetGen;

            public partial class Outer
            {
                internal partial struct Holder
                {
                    [Network(Loss.MeanSquaredError, UnrollThreshold = 8)]
                    [Input(3)]
                    [Dense(2, Activation.LeakyReLU)]
                    [Dense(3, Activation.Identity)]
                    [Dense(1, Activation.Tanh)]
                    internal partial class Regressor { }
                }
            }
            """);
    }

    private static void VerifyCompilesAndMatches(string source, [System.Runtime.CompilerServices.CallerMemberName] string method = "")
    {
        // The recipe the README gives users, with the project's Verify-style helper in place of Verify.
        GenerationResult result = GeneratedSource.Run(source);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.CompilerDiagnostics);
        SnapshotVerifier.Verify(result, method: method);
    }
}
