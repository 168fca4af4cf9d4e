using NetGen;

// Every activation, in hidden layers and on the output, under every loss; both generated code paths (unrolled and
// Vector<float> loops); and the MNIST shape, whose 784-term sums are the longest the export has to match.
namespace NetGen.Interop.Tests;

/// <summary>Every activation but Softmax in one stack, unrolled.</summary>
[Network(Loss.MeanSquaredError)] [Input(5)] [Dense(7, Activation.ReLU)] [Dense(6, Activation.LeakyReLU)] [Dense(5, Activation.Sigmoid)] [Dense(4, Activation.Tanh)] [Dense(3, Activation.Identity)]
public partial class MseEveryActivation { }

[Network(Loss.MeanSquaredError)] [Input(3)] [Dense(5, Activation.Identity)] [Dense(2, Activation.LeakyReLU)]
public partial class MseLeakyReluOutput { }

[Network(Loss.MeanSquaredError)] [Input(3)] [Dense(5, Activation.LeakyReLU)] [Dense(2, Activation.ReLU)]
public partial class MseReluOutput { }

[Network(Loss.MeanSquaredError)] [Input(3)] [Dense(5, Activation.Sigmoid)] [Dense(2, Activation.Tanh)]
public partial class MseTanhOutput { }

[Network(Loss.MeanSquaredError)] [Input(3)] [Dense(5, Activation.ReLU)] [Dense(2, Activation.Sigmoid)]
public partial class MseSigmoidOutput { }

[Network(Loss.BinaryCrossEntropy)] [Input(2)] [Dense(4, Activation.Tanh)] [Dense(1, Activation.Sigmoid)]
public partial class BceXor { }

[Network(Loss.BinaryCrossEntropy, UnrollThreshold = 0)] [Input(37)] [Dense(19, Activation.Tanh)] [Dense(23, Activation.ReLU)] [Dense(5, Activation.Sigmoid)]
public partial class BceVector { }

[Network(Loss.CrossEntropy)] [Input(4)] [Dense(6, Activation.Sigmoid)] [Dense(3, Activation.Softmax)]
public partial class CeSigmoidHidden { }

/// <summary>A deep mixed stack, unrolled.</summary>
[Network(Loss.CrossEntropy)] [Input(5)] [Dense(7, Activation.ReLU)] [Dense(6, Activation.Tanh)] [Dense(5, Activation.LeakyReLU)] [Dense(3, Activation.Softmax)]
public partial class CeDeepUnrolled { }

/// <summary>The same shapes as <see cref="CeDeepUnrolled"/> on the Vector&lt;float&gt; path, with an Identity hidden layer.</summary>
[Network(Loss.CrossEntropy, UnrollThreshold = 0)] [Input(5)] [Dense(7, Activation.ReLU)] [Dense(6, Activation.Tanh)] [Dense(9, Activation.Identity)] [Dense(5, Activation.LeakyReLU)] [Dense(3, Activation.Softmax)]
public partial class CeDeepVector { }

/// <summary>A deep mixed stack wide enough for the Vector&lt;float&gt; loops and their scalar tails.</summary>
[Network(Loss.MeanSquaredError, UnrollThreshold = 0)] [Input(9)] [Dense(11, Activation.Identity)] [Dense(13, Activation.Sigmoid)] [Dense(17, Activation.LeakyReLU)] [Dense(33, Activation.ReLU)] [Dense(4, Activation.Tanh)]
public partial class MseDeepVector { }

[Network(Loss.CrossEntropy)] [Input(784)] [Dense(64, Activation.ReLU)] [Dense(10, Activation.Softmax)]
public partial class Mnist64 { }
