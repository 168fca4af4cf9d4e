using NetGen;

namespace Samples.Mnist;

/// <summary>A multilayer perceptron for 28 × 28 digit images: two ReLU hidden layers, ten Softmax outputs.</summary>
[Network(Loss.CrossEntropy)]
[Input(784)]
[Dense(256, Activation.ReLU)]
[Dense(128, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class MnistMlp
{
}
