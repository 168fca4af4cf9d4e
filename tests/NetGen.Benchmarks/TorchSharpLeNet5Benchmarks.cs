using System;
using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NetGen.Benchmarks;

/// <summary>
/// The TorchSharp twin of a NetGen network built from <see cref="INetwork.Layers"/>, module for module as
/// <see cref="PyTorchTwin"/> describes it (Conv2d, MaxPool2d, Flatten, Linear, each with its activation), holding the
/// network's parameters.
/// </summary>
internal static class TorchSharpTwin
{
    /// <param name="network">The network whose layers and parameters the twin copies.</param>
    /// <param name="softmax">
    /// Whether to end with the output layer's Softmax, as NetGen's forward does; without it the twin returns the logits
    /// that <c>CrossEntropyLoss</c> takes.
    /// </param>
    public static Sequential Build(INetwork network, bool softmax)
    {
        float[] parameters = network.Parameters.ToArray();
        var modules = new List<(string, nn.Module<Tensor, Tensor>)>();
        foreach (LayerInfo layer in network.Layers)
        {
            string name = $"layer{layer.Index + 1}";
            switch (layer.Kind)
            {
                case LayerKind.Conv2D:
                    var convolution = nn.Conv2d(
                        layer.InputShape.Channels, layer.OutputShape.Channels, layer.KernelSize, stride: layer.Stride, padding: layer.Padding);
                    // Conv2d.weight is [filters, channels, kernel, kernel], NetGen's block as it is.
                    Copy(parameters, layer.Parameters[0], convolution.weight!);
                    Copy(parameters, layer.Parameters[1], convolution.bias!);
                    modules.Add((name, convolution));
                    break;
                case LayerKind.MaxPool2D:
                    modules.Add((name, nn.MaxPool2d(layer.KernelSize, layer.Stride)));
                    break;
                case LayerKind.Dense:
                    if (layer.FlattensInput)
                    {
                        modules.Add(($"flatten{layer.Index + 1}", nn.Flatten()));
                    }

                    int inputs = layer.InputShape.Length, outputs = layer.OutputShape.Length;
                    var linear = nn.Linear(inputs, outputs);
                    using (torch.no_grad())
                    {
                        // nn.Linear holds [outputs × inputs], the transpose of NetGen's [inputs × outputs].
                        ParameterBlock weights = layer.Parameters[0];
                        linear.weight!.copy_(torch.tensor(parameters.AsSpan(weights.Offset, weights.Length).ToArray(), [inputs, outputs]).t());
                    }

                    Copy(parameters, layer.Parameters[1], linear.bias!);
                    modules.Add((name, linear));
                    break;
                default:
                    throw new NotSupportedException($"The benchmarks' TorchSharp twin has no {layer.Kind} layer.");
            }

            nn.Module<Tensor, Tensor>? activation = layer.Activation switch
            {
                Activation.ReLU => nn.ReLU(),
                Activation.Softmax when softmax => nn.Softmax(1),
                _ => null,
            };
            if (activation is not null)
            {
                modules.Add(($"activation{layer.Index + 1}", activation));
            }
        }

        return nn.Sequential(modules.ToArray());
    }

    /// <summary>The twin's output for <paramref name="input"/>, compared with NetGen's before anything is timed.</summary>
    public static void CheckAgainst(INetwork network, Sequential twin, Tensor input, ReadOnlySpan<float> inputValues, int count)
    {
        var expected = new float[count * network.OutputSize];
        network.ForwardBatch(network.CreateWorkspace(count), inputValues, expected);

        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        float[] actual = twin.forward(input).data<float>().ToArray();
        for (int i = 0; i < expected.Length; i++)
        {
            if (MathF.Abs(actual[i] - expected[i]) > 1e-4f)
            {
                throw new InvalidOperationException($"TorchSharp output {i} is {actual[i]}, NetGen's is {expected[i]}");
            }
        }
    }

    private static void Copy(float[] parameters, ParameterBlock block, Tensor destination)
    {
        using (torch.no_grad())
        {
            destination.copy_(torch.tensor(parameters.AsSpan(block.Offset, block.Length).ToArray(), destination.shape));
        }
    }
}

/// <summary>
/// W5 on TorchSharp: LeNet-5 loaded with <see cref="LeNet5"/>'s initial weights, Adam 1e-3, batch 64, cross-entropy on the
/// logits, one shuffled epoch of the 60,000 MNIST training images, as <see cref="LeNet5TrainingBenchmarks"/>.
/// </summary>
[InProcessEpochs(Iterations = 5)]
public class TorchSharpLeNet5TrainingBenchmarks
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

        var network = new LeNet5();
        _images = torch.tensor(images, [count, 1, 28, 28]);
        _labels = torch.tensor(labels, [count]);
        _model = TorchSharpTwin.Build(network, softmax: true);
        TorchSharpTwin.CheckAgainst(network, _model, _images.narrow(0, 0, 64), images.AsSpan(0, 64 * 784), 64);
        _model = TorchSharpTwin.Build(network, softmax: false);
        _optimizer = torch.optim.Adam(_model.parameters(), lr: 1e-3);
        _loss = nn.CrossEntropyLoss();
    }

    [Benchmark(Description = "W5 TorchSharp LeNet-5 epoch")]
    public void W5Epoch()
    {
        if (!_available)
        {
            throw new InvalidOperationException(TorchSharpModels.Unavailable);
        }

        TorchSharpModels.TrainEpoch(_model, _optimizer, _loss, _images, _labels, batchSize: 64);
    }
}

/// <summary>W6 and W7 on TorchSharp: LeNet-5 with <see cref="LeNet5"/>'s weights, one thread, no gradient tracking.</summary>
[InProcess]
[MemoryDiagnoser]
public class TorchSharpLeNet5InferenceBenchmarks
{
    private const int Batch = 256;
    private Sequential _model = null!;
    private Tensor _one = null!, _batch = null!;
    private bool _available;

    [GlobalSetup]
    public void Setup()
    {
        _available = TorchSharpModels.TryStart(threads: 1);
        if (!_available)
        {
            return;
        }

        var network = new LeNet5();
        float[] inputs = LeNet5Inputs.Create(Batch);
        _model = TorchSharpTwin.Build(network, softmax: true);
        _batch = torch.tensor(inputs, [Batch, 1, 28, 28]);
        _one = _batch.narrow(0, 0, 1).contiguous();
        TorchSharpTwin.CheckAgainst(network, _model, _batch, inputs, Batch);
    }

    [Benchmark(Description = "W6 TorchSharp LeNet-5")]
    public void W6() => Run(_one);

    [Benchmark(Description = "W7 TorchSharp 256 × LeNet-5", OperationsPerInvoke = Batch)]
    public void W7() => Run(_batch);

    private void Run(Tensor input)
    {
        if (!_available)
        {
            throw new InvalidOperationException(TorchSharpModels.Unavailable);
        }

        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        _model.forward(input);
    }
}

/// <summary>
/// One in-process job that measures <see cref="Iterations"/> single runs after one warm-up: TorchSharp's epochs, which
/// take seconds and load only where the build output's patched native glue is (<c>[InProcess]</c> beside a
/// <c>[SimpleJob]</c> would add a second job with BenchmarkDotNet's default counts, a minute or more per epoch setting).
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class InProcessEpochsAttribute : Attribute, IConfigSource
{
    private readonly Lazy<IConfig> _config;

    public InProcessEpochsAttribute() => _config = new Lazy<IConfig>(CreateConfig);

    /// <summary>The measured runs.</summary>
    public int Iterations { get; set; } = 5;

    /// <summary>
    /// Minutes before BenchmarkDotNet gives up on one benchmark (its in-process default is 5): on a loaded 2-core
    /// machine, a TorchSharp epoch on two threads has taken over 2 minutes.
    /// </summary>
    public int Timeout { get; set; } = 30;

    public IConfig Config => _config.Value;

    private IConfig CreateConfig() => ManualConfig.CreateEmpty().AddJob(
        Job.Default
            .WithToolchain(new InProcessEmitToolchain(TimeSpan.FromMinutes(Timeout), logOutput: true))
            .WithStrategy(RunStrategy.Monitoring)
            .WithLaunchCount(1)
            .WithWarmupCount(1)
            .WithIterationCount(Iterations)
            .WithId("InProcessEpochs"));
}
