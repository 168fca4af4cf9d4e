using System;
using System.IO;
using BenchmarkDotNet.Attributes;
using Microsoft.ML.OnnxRuntime;

namespace NetGen.Benchmarks;

/// <summary>
/// W6 and W7 on ONNX Runtime, one intra-op thread, with <see cref="LeNet5"/> exported by
/// <see cref="Onnx.Save(INetwork, Stream)"/> (Conv, MaxPool, Flatten, Gemm; input [N, 1, 28, 28]). If ONNX Runtime cannot
/// load, every benchmark here reports why instead of a time.
/// </summary>
[MemoryDiagnoser]
public class OnnxRuntimeLeNet5Benchmarks
{
    private const int Batch = 256;
    private InferenceSession? _session;
    private RunOptions? _runOptions;
    private OrtValue[] _w6In = null!, _w6Out = null!, _w7In = null!, _w7Out = null!;
    private readonly string[] _inputNames = ["input"];
    private readonly string[] _outputNames = ["output"];
    private string? _unavailable;

    [GlobalSetup]
    public void Setup()
    {
        try
        {
            var network = new LeNet5();
            var options = new SessionOptions
            {
                IntraOpNumThreads = 1,
                InterOpNumThreads = 1,
                ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
                GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            };
            using (var model = new MemoryStream())
            {
                Onnx.Save(network, model);
                _session = new InferenceSession(model.ToArray(), options);
            }

            _runOptions = new RunOptions();
            float[] batch = LeNet5Inputs.Create(Batch);
            float[] one = batch[..784];
            _w6In = [OrtValue.CreateTensorValueFromMemory(one, [1, 1, 28, 28])];
            _w6Out = [OrtValue.CreateTensorValueFromMemory(new float[10], [1, 10])];
            _w7In = [OrtValue.CreateTensorValueFromMemory(batch, [Batch, 1, 28, 28])];
            _w7Out = [OrtValue.CreateTensorValueFromMemory(new float[Batch * 10], [Batch, 10])];

            // The model computes what NetGen computes: compare one sample and the batch before timing anything.
            var expected = new float[10];
            network.Forward(one, expected);
            W6();
            Check(_w6Out[0].GetTensorDataAsSpan<float>(), expected);
            var expectedBatch = new float[Batch * 10];
            network.ForwardBatch(network.CreateWorkspace(Batch), batch, expectedBatch);
            W7();
            Check(_w7Out[0].GetTensorDataAsSpan<float>(), expectedBatch);
        }
        catch (Exception error) when (error is TypeInitializationException or DllNotFoundException or OnnxRuntimeException or EntryPointNotFoundException or BadImageFormatException)
        {
            _unavailable = $"ONNX Runtime could not be loaded here, so it is skipped: {error.GetBaseException().Message}";
            Console.WriteLine(_unavailable);
        }
    }

    [Benchmark(Description = "W6 ONNX Runtime LeNet-5")]
    public void W6() => Run(_w6In, _w6Out);

    [Benchmark(Description = "W7 ONNX Runtime 256 × LeNet-5", OperationsPerInvoke = Batch)]
    public void W7() => Run(_w7In, _w7Out);

    private static void Check(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            if (MathF.Abs(actual[i] - expected[i]) > 1e-4f)
            {
                throw new InvalidOperationException($"ONNX output {i} is {actual[i]}, NetGen's is {expected[i]}");
            }
        }
    }

    private void Run(OrtValue[] inputs, OrtValue[] outputs)
    {
        if (_unavailable is not null || _session is null)
        {
            throw new InvalidOperationException(_unavailable ?? "ONNX Runtime is not set up.");
        }

        _session.Run(_runOptions, _inputNames, inputs, _outputNames, outputs);
    }
}
