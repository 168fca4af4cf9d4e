using NetGen;

namespace NetGen.Benchmarks;

/// <summary>W1, W2 and W4: the MNIST MLP of the performance issue.</summary>
[Network(Loss.CrossEntropy)]
[Input(784)]
[Dense(128, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class Mnist128 { }

/// <summary>W3: a small regression network where activations, not multiply-adds, dominate.</summary>
[Network(Loss.MeanSquaredError)]
[Input(16)]
[Dense(32, Activation.Tanh)]
[Dense(32, Activation.Tanh)]
[Dense(1, Activation.Identity)]
public partial class Small16 { }

/// <summary>W5–W7: LeNet-5 on 28 × 28 MNIST images, 44,426 parameters.</summary>
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
