using System;
using BenchmarkDotNet.Attributes;

namespace NetGen.Benchmarks;

/// <summary>W2: one 784-128-10 sample. W3: one 16-32-32-1 sample. W4: 256 samples of 784-128-10 as a batch.</summary>
[MemoryDiagnoser]
public class InferenceBenchmarks
{
    private const int Batch = 256;
    private readonly Mnist128 _mnist = new();
    private readonly Small16 _small = new();
    private readonly ScalarMlp _scalarMnist = new([784, 128, 10], tanh: false, softmax: true, seed: 1);
    private readonly ScalarMlp _scalarSmall = new([16, 32, 32, 1], tanh: true, softmax: false, seed: 1);
    private readonly float[] _mnistInput = new float[784];
    private readonly float[] _smallInput = new float[16];
    private readonly float[] _mnistOutput = new float[10];
    private readonly float[] _smallOutput = new float[1];
    private readonly float[] _batchInputs = new float[Batch * 784];
    private readonly float[] _batchOutputs = new float[Batch * 10];
    private BatchWorkspace _workspace = null!;
    private BatchWorkspace _inPlaceWorkspace = null!;
    private BatchWorkspace _layerWorkspace = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new SeededRandom(3);
        for (int i = 0; i < _batchInputs.Length; i++)
        {
            _batchInputs[i] = random.NextSingle();
        }

        _batchInputs.AsSpan(0, 784).CopyTo(_mnistInput);
        for (int i = 0; i < 16; i++)
        {
            _smallInput[i] = random.NextSymmetric(1f);
        }

        _workspace = _mnist.CreateWorkspace(Batch);
        _inPlaceWorkspace = _mnist.CreateWorkspace(Batch);
        _batchInputs.CopyTo(_inPlaceWorkspace.InputRows(Batch));
        _layerWorkspace = _mnist.CreateWorkspace(Batch);
        _mnist.ForwardBatch(_layerWorkspace, _batchInputs, _batchOutputs);
    }

    [Benchmark(Description = "W2 NetGen Forward 784-128-10")]
    public void W2NetGen() => _mnist.Forward(_mnistInput, _mnistOutput);

    [Benchmark(Description = "W2 scalar C# Forward 784-128-10")]
    public void W2Scalar() => _scalarMnist.Forward(_mnistInput, _mnistOutput);

    [Benchmark(Description = "W3 NetGen Forward 16-32-32-1")]
    public void W3NetGen() => _small.Forward(_smallInput, _smallOutput);

    [Benchmark(Description = "W3 scalar C# Forward 16-32-32-1")]
    public void W3Scalar() => _scalarSmall.Forward(_smallInput, _smallOutput);

    /// <summary>The inputs already sit in the workspace, as ONNX Runtime's sit in the tensor bound to its input.</summary>
    [Benchmark(Description = "W4 NetGen ForwardBatch 256 × 784-128-10", OperationsPerInvoke = Batch)]
    public void W4NetGen() => _mnist.ForwardBatch(_inPlaceWorkspace, _inPlaceWorkspace.InputRows(Batch), _batchOutputs);

    /// <summary>W4 with the inputs copied from a separate array into the workspace on every call.</summary>
    [Benchmark(Description = "W4 NetGen ForwardBatch 256 × 784-128-10, inputs copied", OperationsPerInvoke = Batch)]
    public void W4NetGenCopied() => _mnist.ForwardBatch(_workspace, _batchInputs, _batchOutputs);

    /// <summary>
    /// W4's 10-output layer alone (a split pass over all its outputs), from the hidden activations of an earlier
    /// ForwardBatch: what a narrow layer costs next to the wide one.
    /// </summary>
    [Benchmark(Description = "W4 NetGen output layer alone, 256 × 128-10", OperationsPerInvoke = Batch)]
    public void W4NetGenOutputLayer() => _mnist.ForwardLayerBatch(_layerWorkspace, 1, 0, 10);

    [Benchmark(Description = "W4 scalar C# 256 × 784-128-10", OperationsPerInvoke = Batch)]
    public void W4Scalar()
    {
        for (int s = 0; s < Batch; s++)
        {
            _scalarMnist.Forward(_batchInputs.AsSpan(s * 784, 784), _batchOutputs.AsSpan(s * 10, 10));
        }
    }
}
