using System;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Samples.Mnist;

namespace NetGen.Benchmarks;

/// <summary>
/// W1: one shuffled epoch of the 60,000 MNIST training images through 784-128-10 (ReLU, Softmax/CrossEntropy), SGD with
/// momentum 0.9, learning rate 0.05, batch 64.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 7)]
public class TrainingBenchmarks
{
    private Dataset _train = null!;
    private Trainer<Mnist128> _trainer = null!;
    private ScalarMlp _scalar = null!;
    private int[] _order = null!;
    private float[] _output = null!;

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        string folder = MnistFiles.ChooseFolder(null);
        if (MnistFiles.Ensure(folder, Console.WriteLine) is { } problem)
        {
            throw new InvalidOperationException(problem);
        }

        _train = IdxReader.ReadClassification(
            MnistFiles.Find(folder, MnistFiles.TrainImages)!, MnistFiles.Find(folder, MnistFiles.TrainLabels)!, 10);
        var network = new Mnist128();
        _trainer = new Trainer<Mnist128>(network, new Sgd(momentum: 0.9f), new TrainingOptions
        {
            Epochs = 1,
            BatchSize = 64,
            LearningRate = 0.05f,
            Threads = Threads,
        });
        _scalar = new ScalarMlp([784, 128, 10], tanh: false, softmax: true, seed: 1);
        _order = new int[_train.Count];
        for (int i = 0; i < _order.Length; i++)
        {
            _order[i] = i;
        }

        _output = new float[10];
    }

    [GlobalCleanup]
    public void Cleanup() => _trainer.Dispose();

    [Benchmark(Description = "W1 NetGen epoch")]
    public TrainingResult NetGenEpoch() => _trainer.Fit(_train);

    [Benchmark(Description = "W1 scalar C# epoch")]
    public void ScalarEpoch()
    {
        if (Threads != 1)
        {
            return;
        }

        new SeededRandom(1).Shuffle(_order);
        for (int start = 0; start < _order.Length; start += 64)
        {
            int count = Math.Min(64, _order.Length - start);
            for (int k = 0; k < count; k++)
            {
                int sample = _order[start + k];
                _scalar.Forward(_train.Input(sample), _output);
                _scalar.Backward(_train.Target(sample));
            }

            _scalar.Step(0.05f, 0.9f, count);
        }
    }
}
