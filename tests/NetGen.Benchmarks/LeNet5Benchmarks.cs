using System;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace NetGen.Benchmarks;

/// <summary>
/// W5: one shuffled epoch of the 60,000 MNIST training images through <see cref="LeNet5"/>, Adam with learning rate 1e-3,
/// batch 64, each batch's samples split between the threads. An epoch takes seconds, so a few suffice.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class LeNet5TrainingBenchmarks
{
    private Dataset _train = null!;
    private Trainer<LeNet5> _trainer = null!;

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _train = MnistTrainingSet.Load();
        _trainer = new Trainer<LeNet5>(new LeNet5(), new Adam(), new TrainingOptions
        {
            Epochs = 1,
            BatchSize = 64,
            LearningRate = 1e-3f,
            Threads = Threads,
            Split = ThreadSplit.Samples,
        });
    }

    [GlobalCleanup]
    public void Cleanup() => _trainer.Dispose();

    [Benchmark(Description = "W5 NetGen LeNet-5 epoch")]
    public TrainingResult W5Epoch() => _trainer.Fit(_train);
}

/// <summary>W6: one LeNet-5 sample. W7: 256 LeNet-5 samples as a batch, one thread.</summary>
[MemoryDiagnoser]
public class LeNet5InferenceBenchmarks
{
    private const int Batch = 256;
    private readonly LeNet5 _network = new();
    private readonly float[] _output = new float[10];
    private readonly float[] _batchOutputs = new float[Batch * 10];
    private float[] _batchInputs = null!;
    private float[] _input = null!;
    private BatchWorkspace _workspace = null!;
    private BatchWorkspace _inPlaceWorkspace = null!;

    [GlobalSetup]
    public void Setup()
    {
        _batchInputs = LeNet5Inputs.Create(Batch);
        _input = _batchInputs[..784];
        _workspace = _network.CreateWorkspace(Batch);
        _inPlaceWorkspace = _network.CreateWorkspace(Batch);
        _batchInputs.CopyTo(_inPlaceWorkspace.InputRows(Batch));
    }

    [Benchmark(Description = "W6 NetGen Forward LeNet-5")]
    public void W6NetGen() => _network.Forward(_input, _output);

    /// <summary>The inputs already sit in the workspace, as ONNX Runtime's sit in the tensor bound to its input.</summary>
    [Benchmark(Description = "W7 NetGen ForwardBatch 256 × LeNet-5", OperationsPerInvoke = Batch)]
    public void W7NetGen() => _network.ForwardBatch(_inPlaceWorkspace, _inPlaceWorkspace.InputRows(Batch), _batchOutputs);

    /// <summary>W7 with the inputs copied from a separate array into the workspace on every call.</summary>
    [Benchmark(Description = "W7 NetGen ForwardBatch 256 × LeNet-5, inputs copied", OperationsPerInvoke = Batch)]
    public void W7NetGenCopied() => _network.ForwardBatch(_workspace, _batchInputs, _batchOutputs);
}

/// <summary>
/// Where W5 and W7 spend their time: NetGen's split passes for one LeNet-5 layer each, per sample. The forward passes run
/// on W7's batch of 256, the backward passes on one W5 step of 64 on one thread. Layer indices are
/// <see cref="INetwork.Layers"/>': 0 conv1, 1 pool1, 2 conv2, 3 pool2, 4 dense 120, 5 dense 84, 6 dense 10.
/// <see cref="INetwork.InputDeltaBatch"/> of layer l includes layer l − 1's activation derivative.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 7)]
public class LeNet5LayerBenchmarks
{
    private const int InferenceBatch = 256, TrainingBatch = 64;
    private readonly LeNet5 _network = new();
    private readonly float[] _inferenceOutputs = new float[InferenceBatch * 10];
    private readonly float[] _trainingOutputs = new float[TrainingBatch * 10];
    private BatchWorkspace _inference = null!, _training = null!;
    private float[] _inputs = null!, _targets = null!;

    [GlobalSetup]
    public void Setup()
    {
        _inputs = LeNet5Inputs.Create(InferenceBatch);
        _inference = _network.CreateWorkspace(InferenceBatch);
        _network.ForwardBatch(_inference, _inputs, _inferenceOutputs);
        _targets = new float[TrainingBatch * 10];
        for (int sample = 0; sample < TrainingBatch; sample++)
        {
            _targets[sample * 10 + sample % 10] = 1f;
        }

        _training = _network.CreateWorkspace(TrainingBatch);
        _network.ForwardBatch(_training, _inputs.AsSpan(0, TrainingBatch * 784), _trainingOutputs);
        _network.BackwardBatch(_training, _targets);
    }

    [Benchmark(OperationsPerInvoke = InferenceBatch)]
    [Arguments(0)]
    [Arguments(1)]
    [Arguments(2)]
    [Arguments(3)]
    [Arguments(4)]
    [Arguments(5)]
    [Arguments(6)]
    public void Forward256(int layer) => _network.ForwardLayerBatch(_inference, layer, 0, _network.Layers[layer].OutputShape.Length);

    [Benchmark(OperationsPerInvoke = InferenceBatch)]
    public void WholeForwardBatch256() => _network.ForwardBatch(_inference, _inference.InputRows(InferenceBatch), _inferenceOutputs);

    [Benchmark(OperationsPerInvoke = TrainingBatch)]
    [Arguments(0)]
    [Arguments(1)]
    [Arguments(2)]
    [Arguments(3)]
    [Arguments(4)]
    [Arguments(5)]
    [Arguments(6)]
    public void Forward64(int layer) => _network.ForwardLayerBatch(_training, layer, 0, _network.Layers[layer].OutputShape.Length);

    [Benchmark(OperationsPerInvoke = TrainingBatch)]
    public float OutputLoss64() => _network.OutputLossBatch(_training, _targets, _trainingOutputs, 0, TrainingBatch);

    [Benchmark(OperationsPerInvoke = TrainingBatch)]
    [Arguments(0)]
    [Arguments(2)]
    [Arguments(4)]
    [Arguments(5)]
    [Arguments(6)]
    public void WeightGradients64(int layer) =>
        _network.WeightGradientsBatch(_training, layer, 0, _network.Layers[layer].OutputShape.Length);

    [Benchmark(OperationsPerInvoke = TrainingBatch)]
    [Arguments(1)]
    [Arguments(2)]
    [Arguments(3)]
    [Arguments(4)]
    [Arguments(5)]
    [Arguments(6)]
    public void InputDelta64(int layer) => _network.InputDeltaBatch(_training, layer, 0, _network.Layers[layer].InputShape.Length);

    /// <summary>A whole step's batched passes on one thread, without the gather of the rows and the optimizer.</summary>
    [Benchmark(OperationsPerInvoke = TrainingBatch)]
    public float WholeForwardBackward64()
    {
        _training.GradientSpan.Clear();
        _network.ForwardBatch(_training, _training.InputRows(TrainingBatch), _trainingOutputs);
        return _network.BackwardBatch(_training, _targets);
    }
}

/// <summary>W6's and W7's inputs: <c>count</c> images of uniform [0, 1) pixels, the same for every library.</summary>
internal static class LeNet5Inputs
{
    public static float[] Create(int count)
    {
        var random = new SeededRandom(3);
        var inputs = new float[count * 784];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = random.NextSingle();
        }

        return inputs;
    }
}
