using NetGen;

// Every activation in a hidden layer under every loss, every activation on an MSE output, and deep stacks on both
// code paths (unrolled and Vector<float> loops), with sizes that leave a scalar tail for any Vector<float>.Count.
namespace NetGen.Tests.Networks;

[Network(Loss.MeanSquaredError)] [Input(3)] [Dense(5, Activation.Tanh)] [Dense(2, Activation.Identity)]
public partial class MseIdentityOutput { }

[Network(Loss.MeanSquaredError)] [Input(3)] [Dense(5, Activation.ReLU)] [Dense(2, Activation.Sigmoid)]
public partial class MseSigmoidOutput { }

[Network(Loss.MeanSquaredError)] [Input(3)] [Dense(5, Activation.Sigmoid)] [Dense(2, Activation.Tanh)]
public partial class MseTanhOutput { }

[Network(Loss.MeanSquaredError)] [Input(3)] [Dense(5, Activation.LeakyReLU)] [Dense(2, Activation.ReLU)]
public partial class MseReluOutput { }

[Network(Loss.MeanSquaredError)] [Input(3)] [Dense(5, Activation.Identity)] [Dense(2, Activation.LeakyReLU)]
public partial class MseLeakyReluOutput { }

[Network(Loss.BinaryCrossEntropy)] [Input(3)] [Dense(4, Activation.Identity)] [Dense(2, Activation.Sigmoid)]
public partial class BceIdentityHidden { }

[Network(Loss.BinaryCrossEntropy)] [Input(3)] [Dense(4, Activation.Sigmoid)] [Dense(2, Activation.Sigmoid)]
public partial class BceSigmoidHidden { }

[Network(Loss.BinaryCrossEntropy)] [Input(3)] [Dense(4, Activation.Tanh)] [Dense(2, Activation.Sigmoid)]
public partial class BceTanhHidden { }

[Network(Loss.BinaryCrossEntropy)] [Input(3)] [Dense(4, Activation.ReLU)] [Dense(2, Activation.Sigmoid)]
public partial class BceReluHidden { }

[Network(Loss.BinaryCrossEntropy)] [Input(3)] [Dense(4, Activation.LeakyReLU)] [Dense(2, Activation.Sigmoid)]
public partial class BceLeakyReluHidden { }

[Network(Loss.CrossEntropy)] [Input(4)] [Dense(6, Activation.Identity)] [Dense(3, Activation.Softmax)]
public partial class CeIdentityHidden { }

[Network(Loss.CrossEntropy)] [Input(4)] [Dense(6, Activation.Sigmoid)] [Dense(3, Activation.Softmax)]
public partial class CeSigmoidHidden { }

[Network(Loss.CrossEntropy)] [Input(4)] [Dense(6, Activation.Tanh)] [Dense(3, Activation.Softmax)]
public partial class CeTanhHidden { }

[Network(Loss.CrossEntropy)] [Input(4)] [Dense(6, Activation.ReLU)] [Dense(3, Activation.Softmax)]
public partial class CeReluHidden { }

[Network(Loss.CrossEntropy)] [Input(4)] [Dense(6, Activation.LeakyReLU)] [Dense(3, Activation.Softmax)]
public partial class CeLeakyReluHidden { }

[Network(Loss.CrossEntropy)] [Input(5)] [Dense(7, Activation.ReLU)] [Dense(6, Activation.Tanh)] [Dense(5, Activation.LeakyReLU)] [Dense(3, Activation.Softmax)]
public partial class DeepUnrolled { }

[Network(Loss.CrossEntropy, UnrollThreshold = 0)] [Input(5)] [Dense(7, Activation.ReLU)] [Dense(6, Activation.Tanh)] [Dense(5, Activation.LeakyReLU)] [Dense(3, Activation.Softmax)]
public partial class DeepVector { }

[Network(Loss.BinaryCrossEntropy, UnrollThreshold = 0)] [Input(37)] [Dense(19, Activation.Tanh)] [Dense(23, Activation.ReLU)] [Dense(5, Activation.Sigmoid)]
public partial class WideVectorBce { }

[Network(Loss.MeanSquaredError, UnrollThreshold = 0)] [Input(9)] [Dense(11, Activation.Identity)] [Dense(13, Activation.Sigmoid)] [Dense(17, Activation.LeakyReLU)] [Dense(4, Activation.Identity)]
public partial class WideVectorMse { }

[Network(Loss.CrossEntropy)] [Input(70)] [Dense(33, Activation.LeakyReLU)] [Dense(10, Activation.Softmax)]
public partial class MixedPathsCe { }

/// <summary>Unrolled layers wide enough (13 and 9 inputs) to be summed in partial sums, with remainders.</summary>
[Network(Loss.MeanSquaredError)] [Input(13)] [Dense(4, Activation.Tanh)] [Dense(9, Activation.ReLU)] [Dense(1, Activation.Identity)]
public partial class WideUnrolledMse { }

[Network(Loss.BinaryCrossEntropy)] [Input(2)] [Dense(4, Activation.Tanh)] [Dense(1, Activation.Sigmoid)]
public partial class XorNet { }

[Network(Loss.MeanSquaredError)] [Input(2)] [Dense(2, Activation.ReLU)] [Dense(1, Activation.Identity)]
public partial class HandWorkedRelu { }

[Network(Loss.BinaryCrossEntropy)] [Input(2)] [Dense(2, Activation.Tanh)] [Dense(1, Activation.Sigmoid)]
public partial class HandWorkedBce { }

[Network(Loss.CrossEntropy)] [Input(784)] [Dense(64, Activation.ReLU)] [Dense(10, Activation.Softmax)]
public partial class MnistSubsetNet { }

/// <summary>The smallest convolutional network: one convolution, one max pool, a flattening Dense output.</summary>
[Network(Loss.CrossEntropy)] [Input(1, 8, 8)] [Conv2D(3, 3, Activation.ReLU)] [MaxPool2D(2)] [Dense(4, Activation.Softmax)]
public partial class ConvPoolCe { }

/// <summary>Stride and padding on odd sizes with two input channels, then overlapping average windows.</summary>
[Network(Loss.MeanSquaredError)] [Input(2, 7, 5)] [Conv2D(4, 3, Activation.Tanh, Stride = 2, Padding = 1)] [AvgPool2D(2, Stride = 1)] [Dense(3, Activation.Identity)]
public partial class ConvStridePaddingMse { }

/// <summary>
/// A deep stack: padding, a 2×2 kernel, overlapping max windows, 17 filters (more than a 16-lane vector), an explicit
/// Flatten and dropout before the output.
/// </summary>
[Network(Loss.BinaryCrossEntropy)]
[Input(3, 9, 9)]
[Conv2D(5, 3, Activation.LeakyReLU, Padding = 1)]
[Conv2D(6, 2, Activation.Sigmoid)]
[MaxPool2D(3, Stride = 1)]
[Conv2D(17, 3, Activation.ReLU)]
[AvgPool2D(2)]
[Flatten]
[Dense(5, Activation.ReLU)]
[Dropout(0.5)]
[Dense(2, Activation.Sigmoid)]
public partial class DeepConvBce { }

/// <summary>Dropout between Dense layers, the identity in evaluation mode.</summary>
[Network(Loss.CrossEntropy)] [Input(10)] [Dense(32, Activation.ReLU)] [Dropout(0.3)] [Dense(3, Activation.Softmax)]
public partial class DenseDropoutCe { }
