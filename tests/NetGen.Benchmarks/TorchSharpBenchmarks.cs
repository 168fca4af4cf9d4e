using System;
using System.Linq;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetGen.Benchmarks;

/// <summary>Builds the TorchSharp models with the NetGen networks' weights, or says why TorchSharp cannot load.</summary>
internal static class TorchSharpModels
{
    public static string? Unavailable { get; private set; }

    /// <summary>The 60,000 MNIST training images as one [60,000 × 784] array and their labels as class numbers.</summary>
    public static (float[] Images, long[] Labels) MnistTrainingRows()
    {
        Dataset train = MnistTrainingSet.Load();
        var images = new float[train.Count * 784];
        var labels = new long[train.Count];
        for (int i = 0; i < train.Count; i++)
        {
            train.Input(i).CopyTo(images.AsSpan(i * 784, 784));
            labels[i] = Metrics.ArgMax(train.Target(i));
        }

        return (images, labels);
    }

    /// <summary>One shuffled epoch of mini-batches: forward, loss, backward and an optimizer step each.</summary>
    public static void TrainEpoch(Sequential model, optim.Optimizer optimizer, Loss<Tensor, Tensor, Tensor> loss, Tensor images, Tensor labels, int batchSize)
    {
        long count = images.shape[0];
        using var epochScope = torch.NewDisposeScope();
        Tensor order = torch.randperm(count);
        for (long start = 0; start < count; start += batchSize)
        {
            using var batchScope = torch.NewDisposeScope();
            Tensor rows = order.narrow(0, start, Math.Min(batchSize, count - start));
            optimizer.zero_grad();
            loss.forward(model.forward(images.index_select(0, rows)), labels.index_select(0, rows)).backward();
            optimizer.step();
        }
    }

    public static bool TryStart(int threads)
    {
        try
        {
            torch.set_num_threads(threads);
            using var probe = torch.ones(2);
            return true;
        }
        catch (Exception error) when (error is TypeInitializationException or DllNotFoundException or NotSupportedException or InvalidOperationException)
        {
            Unavailable = $"TorchSharp could not be loaded here, so it is skipped: {error.GetBaseException().Message}";
            Console.WriteLine(Unavailable);
            return false;
        }
    }

    /// <summary>Linear layers holding <paramref name="network"/>'s parameters, with the given activations between.</summary>
    public static Sequential Build(INetwork network, (int Size, string Activation)[] layers)
    {
        float[] parameters = network.Parameters.ToArray();
        var modules = new (string, nn.Module<Tensor, Tensor>)[layers.Length * 2];
        int count = 0, offset = 0, inputs = network.InputSize;
        for (int l = 0; l < layers.Length; l++)
        {
            int outputs = layers[l].Size;
            var linear = nn.Linear(inputs, outputs);
            using (torch.no_grad())
            {
                // nn.Linear holds [outputs × inputs], the transpose of NetGen's [inputs × outputs].
                linear.weight!.copy_(torch.tensor(parameters.AsSpan(offset, outputs * inputs).ToArray(), [inputs, outputs]).t());
                linear.bias!.copy_(torch.tensor(parameters.AsSpan(offset + outputs * inputs, outputs).ToArray(), [outputs]));
            }

            modules[count++] = ($"linear{l + 1}", linear);
            nn.Module<Tensor, Tensor>? activation = layers[l].Activation switch
            {
                "Relu" => nn.ReLU(),
                "Tanh" => nn.Tanh(),
                "Softmax" => nn.Softmax(1),
                _ => null,
            };
            if (activation is not null)
            {
                modules[count++] = ($"activation{l + 1}", activation);
            }

            offset += outputs * inputs + outputs;
            inputs = outputs;
        }

        return nn.Sequential(modules[..count]);
    }
}

/// <summary>W2–W4 on TorchSharp-cpu 0.107 (LibTorch 2.10), one thread, no gradient tracking.</summary>
[InProcess]
[MemoryDiagnoser]
public class TorchSharpInferenceBenchmarks
{
    private const int Batch = 256;
    private Sequential _mnist = null!, _small = null!;
    private Tensor _w2 = null!, _w3 = null!, _w4 = null!;
    private bool _available;

    [GlobalSetup]
    public void Setup()
    {
        _available = TorchSharpModels.TryStart(threads: 1);
        if (!_available)
        {
            return;
        }

        _mnist = TorchSharpModels.Build(new Mnist128(), [(128, "Relu"), (10, "Softmax")]);
        _small = TorchSharpModels.Build(new Small16(), [(32, "Tanh"), (32, "Tanh"), (1, "Identity")]);
        var random = new SeededRandom(3);
        float[] batch = new float[Batch * 784];
        for (int i = 0; i < batch.Length; i++)
        {
            batch[i] = random.NextSingle();
        }

        _w4 = torch.tensor(batch, [Batch, 784]);
        _w2 = torch.tensor(batch[..784], [1, 784]);
        _w3 = torch.tensor(Enumerable.Range(0, 16).Select(_ => random.NextSymmetric(1f)).ToArray(), [1, 16]);
    }

    [Benchmark(Description = "W2 TorchSharp 784-128-10")]
    public void W2() => Run(_mnist, _w2);

    [Benchmark(Description = "W3 TorchSharp 16-32-32-1")]
    public void W3() => Run(_small, _w3);

    [Benchmark(Description = "W4 TorchSharp 256 × 784-128-10", OperationsPerInvoke = Batch)]
    public void W4() => Run(_mnist, _w4);

    private void Run(Sequential model, Tensor input)
    {
        if (!_available)
        {
            throw new InvalidOperationException(TorchSharpModels.Unavailable);
        }

        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        model.forward(input);
    }
}

/// <summary>W1 on TorchSharp: the same network, data, optimizer and batch size as <see cref="TrainingBenchmarks"/>.</summary>
[InProcess]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 7)]
public class TorchSharpTrainingBenchmarks
{
    private Sequential _model = null!;
    private optim.Optimizer _optimizer = null!;
    private Loss<Tensor, Tensor, Tensor> _loss = null!;
    private Tensor _images = null!, _labels = null!;
    private bool _available;

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _available = TorchSharpModels.TryStart(Threads);
        if (!_available)
        {
            return;
        }

        var (images, labels) = TorchSharpModels.MnistTrainingRows();
        int count = labels.Length;

        _images = torch.tensor(images, [count, 784]);
        _labels = torch.tensor(labels, [count]);
        _model = nn.Sequential(("linear1", nn.Linear(784, 128)), ("relu", nn.ReLU()), ("linear2", nn.Linear(128, 10)));
        _optimizer = torch.optim.SGD(_model.parameters(), learningRate: 0.05, momentum: 0.9);
        _loss = nn.CrossEntropyLoss();
    }

    [Benchmark(Description = "W1 TorchSharp epoch")]
    public void Epoch()
    {
        if (!_available)
        {
            throw new InvalidOperationException(TorchSharpModels.Unavailable);
        }

        TorchSharpModels.TrainEpoch(_model, _optimizer, _loss, _images, _labels, batchSize: 64);
    }
}
