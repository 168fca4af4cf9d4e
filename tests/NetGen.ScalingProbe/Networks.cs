using NetGen;

namespace NetGen.ScalingProbe;

/// <summary>W1's network: 784-128-10, the MNIST MLP of docs/performance.md.</summary>
[Network(Loss.CrossEntropy)]
[Input(784)]
[Dense(128, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class Mlp { }

/// <summary>W5's network: LeNet-5 on 28 × 28 images.</summary>
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
