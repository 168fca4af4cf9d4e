using System;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Samples.Shared;

namespace NetGen.Benchmarks;

/// <summary>
/// W1: one shuffled epoch of the 60,000 MNIST training images through 784-128-10 (ReLU, Softmax/CrossEntropy), SGD with
/// momentum 0.9, learning rate 0.05, batch 64.
/// </summary>
[MemoryDiagnoser]
[VectorWidthJobs(MonitoringIterations = 7)]
public class TrainingBenchmarks
{
    private Dataset _train = null!;
    private Trainer<Mnist128> _trainer = null!;

    /// <summary>Threads, and for two how they share each mini-batch (<see cref="ThreadSplit"/>).</summary>
    [Params("1", "2 by samples", "2 by outputs")]
    public string Threads { get; set; } = "1";

    [GlobalSetup]
    public void Setup()
    {
        _train = MnistTrainingSet.Load();
        _trainer = new Trainer<Mnist128>(new Mnist128(), new Sgd(momentum: 0.9f), new TrainingOptions
        {
            Epochs = 1,
            BatchSize = 64,
            LearningRate = 0.05f,
            Threads = Threads == "1" ? 1 : 2,
            Split = Threads.EndsWith("by outputs", StringComparison.Ordinal) ? ThreadSplit.Outputs : ThreadSplit.Samples,
        });
    }

    [GlobalCleanup]
    public void Cleanup() => _trainer.Dispose();

    [Benchmark(Description = "W1 NetGen epoch")]
    public TrainingResult NetGenEpoch() => _trainer.Fit(_train);
}

/// <summary>W1 with the plainly written scalar baseline, on one thread.</summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class ScalarTrainingBenchmarks
{
    private readonly ScalarMlp _scalar = new([784, 128, 10], tanh: false, softmax: true, seed: 1);
    private readonly float[] _output = new float[10];
    private Dataset _train = null!;
    private int[] _order = null!;

    [GlobalSetup]
    public void Setup()
    {
        _train = MnistTrainingSet.Load();
        _order = new int[_train.Count];
        for (int i = 0; i < _order.Length; i++)
        {
            _order[i] = i;
        }
    }

    [Benchmark(Description = "W1 scalar C# epoch (1 thread)")]
    public void ScalarEpoch()
    {
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

/// <summary>The 60,000 MNIST training images, found or fetched as the MNIST sample does.</summary>
internal static class MnistTrainingSet
{
    public static Dataset Load()
    {
        string folder = MnistFiles.ChooseFolder(null);
        if (MnistFiles.Ensure(folder, Console.WriteLine) is { } problem)
        {
            throw new InvalidOperationException(problem);
        }

        return IdxReader.ReadClassification(
            MnistFiles.Find(folder, MnistFiles.TrainImages)!, MnistFiles.Find(folder, MnistFiles.TrainLabels)!, 10);
    }
}
