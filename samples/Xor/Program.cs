using System;
using System.Globalization;
using NetGen;
using Samples.Xor;

// The four XOR cases, as one dataset of inputs [4 × 2] and targets [4 × 1].
float[] inputs = [0, 0, 0, 1, 1, 0, 1, 1];
float[] targets = [0, 1, 1, 0];
var data = new Dataset(inputs, XorNet.InputSize, targets, XorNet.OutputSize);

var network = new XorNet();
network.InitializeParameters(seed: 1);
var trainer = new Trainer<XorNet>(
    network,
    new Sgd(momentum: 0.9f),
    new TrainingOptions { Epochs = 500, BatchSize = 4, LearningRate = 0.1f, Seed = 1 });

Console.WriteLine($"{XorNet.Architecture}, {XorNet.ParameterCount} parameters");
foreach (EpochReport report in trainer.Fit(data).Epochs)
{
    if (report.Epoch % 50 == 0 || report.Epoch == 1)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"epoch {report.Epoch,4}  loss {report.TrainingLoss:F6}"));
    }
}

Span<float> output = stackalloc float[XorNet.OutputSize];
int correct = 0;
for (int i = 0; i < data.Count; i++)
{
    network.Forward(data.Input(i), output);
    bool right = output[0] >= 0.5f == targets[i] >= 0.5f;
    correct += right ? 1 : 0;
    Console.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"{inputs[2 * i]} XOR {inputs[2 * i + 1]} = {output[0]:F4}  (expected {targets[i]}, {(right ? "correct" : "WRONG")})"));
}

Console.WriteLine($"accuracy: {correct}/{data.Count}");
return correct == data.Count ? 0 : 1;
