using NetGen;

namespace Samples.Xor;

/// <summary>The smallest network that can learn XOR: two inputs, a hidden layer of four, one probability out.</summary>
[Network(Loss.BinaryCrossEntropy)]
[Input(2)]
[Dense(4, Activation.Tanh)]
[Dense(1, Activation.Sigmoid)]
public partial class XorNet
{
}
