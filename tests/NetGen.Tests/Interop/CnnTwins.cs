using NetGen;

// The NetGen side of make_pytorch_fixtures.py's CNN_NETWORKS: each class's PyTorchModule is its twin there, and
// LayerStack builds the same layers by hand.
namespace NetGen.Tests.Interop;

/// <summary>LeNet-5 on 28×28 digits: 44,426 parameters; Dense flattens the pooled 16×4×4 without a [Flatten].</summary>
[Network(Loss.CrossEntropy)]
[Input(1, 28, 28)]
[Conv2D(6, 5, Activation.ReLU)]
[MaxPool2D(2)]
[Conv2D(16, 5, Activation.ReLU)]
[MaxPool2D(2)]
[Dense(120, Activation.ReLU)]
[Dense(84, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class LeNet5Twin { }

/// <summary>Odd sizes, stride 2 with padding 1 (3×9×7 → 4×5×4), an average pool of stride 1 (→ 4×4×3), an explicit [Flatten].</summary>
[Network(Loss.MeanSquaredError)]
[Input(3, 9, 7)]
[Conv2D(4, 3, Activation.Tanh, Stride = 2, Padding = 1)]
[AvgPool2D(2, Stride = 1)]
[Flatten]
[Dense(5, Activation.Sigmoid)]
public partial class OddSizeCnnTwin { }

/// <summary>Dropout over an image (3×4×4) and over a vector; the fixtures are in evaluation mode, where both are the identity.</summary>
[Network(Loss.CrossEntropy)]
[Input(2, 8, 8)]
[Conv2D(3, 3, Activation.ReLU)]
[MaxPool2D(3, Stride = 1)]
[Dropout(0.25f)]
[Dense(6, Activation.Tanh)]
[Dropout(0.5f)]
[Dense(3, Activation.Softmax)]
public partial class DropoutCnnTwin { }
