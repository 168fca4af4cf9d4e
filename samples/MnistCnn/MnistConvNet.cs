using NetGen;

namespace Samples.MnistCnn;

/// <summary>
/// A convolutional network for 28 × 28 digit images: two 5 × 5 convolutions (16 and 32 filters), each followed by
/// 2 × 2 max pooling, then a 128-unit ReLU layer with dropout and ten Softmax outputs. LeNet-5, wider.
/// </summary>
[Network(Loss.CrossEntropy)]
[Input(1, 28, 28)]
[Conv2D(16, 5, Activation.ReLU)]   // (16, 24, 24)
[MaxPool2D(2)]                     // (16, 12, 12)
[Conv2D(32, 5, Activation.ReLU)]   // (32, 8, 8)
[MaxPool2D(2)]                     // (32, 4, 4)
[Dense(128, Activation.ReLU)]      // flattens the 512 values
[Dropout(0.25)]
[Dense(10, Activation.Softmax)]
public partial class MnistConvNet
{
}
