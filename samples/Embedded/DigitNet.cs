using NetGen;

namespace Samples.Embedded;

/// <summary>
/// A 784-128-10 digit classifier. Its weights come from PyTorch: <c>train_twin.py</c> trains <see cref="PyTorchModule"/>
/// and writes digits.safetensors, which the app loads at start-up.
/// </summary>
[Network(Loss.CrossEntropy)]
[Input(784)]
[Dense(128, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class DigitNet
{
}
