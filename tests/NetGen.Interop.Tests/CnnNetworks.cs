using NetGen;

// The CNNs whose export ONNX Runtime runs, as in tests/NetGen.Tests/Interop/CnnTwins.cs.
namespace NetGen.Interop.Tests;

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

[Network(Loss.MeanSquaredError)]
[Input(3, 9, 7)]
[Conv2D(4, 3, Activation.Tanh, Stride = 2, Padding = 1)]
[AvgPool2D(2, Stride = 1)]
[Flatten]
[Dense(5, Activation.Sigmoid)]
public partial class OddSizeCnn { }

/// <summary>Dropout exports no node: the graph is the evaluation function.</summary>
[Network(Loss.BinaryCrossEntropy)]
[Input(2, 8, 8)]
[Conv2D(3, 3, Activation.LeakyReLU, Padding = 1)]
[MaxPool2D(2)]
[Dropout(0.25f)]
[Dense(6, Activation.Tanh)]
[Dropout(0.5f)]
[Dense(3, Activation.Sigmoid)]
public partial class DropoutCnn { }
