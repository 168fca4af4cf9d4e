using System;
using System.IO;
using BenchmarkDotNet.Attributes;
using Microsoft.ML.OnnxRuntime;

namespace NetGen.Benchmarks;

/// <summary>
/// W2–W4 on ONNX Runtime, one intra-op thread, with the NetGen networks exported by <see cref="Onnx.Save(INetwork, Stream)"/>. If ONNX Runtime
/// cannot load, every benchmark here reports why instead of a time.
/// </summary>
[MemoryDiagnoser]
public class OnnxRuntimeBenchmarks
{
    private const int Batch = 256;
    private InferenceSession? _mnist;
    private InferenceSession? _small;
    private RunOptions? _runOptions;
    private OrtValue[] _w2In = null!, _w2Out = null!, _w3In = null!, _w3Out = null!, _w4In = null!, _w4Out = null!;
    private readonly string[] _inputNames = ["input"];
    private readonly string[] _outputNames = ["output"];
    private string? _unavailable;

    [GlobalSetup]
    public void Setup()
    {
        try
        {
            var mnist = new Mnist128();
            var small = new Small16();
            var options = new SessionOptions
            {
                IntraOpNumThreads = 1,
                InterOpNumThreads = 1,
                ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
                GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            };
            _mnist = new InferenceSession(OnnxModel(mnist), options);
            _small = new InferenceSession(OnnxModel(small), options);
            _runOptions = new RunOptions();

            var random = new SeededRandom(3);
            float[] batch = new float[Batch * 784];
            for (int i = 0; i < batch.Length; i++)
            {
                batch[i] = random.NextSingle();
            }

            float[] one = batch[..784];
            float[] smallInput = new float[16];
            for (int i = 0; i < 16; i++)
            {
                smallInput[i] = random.NextSymmetric(1f);
            }

            _w2In = [OrtValue.CreateTensorValueFromMemory(one, [1, 784])];
            _w2Out = [OrtValue.CreateTensorValueFromMemory(new float[10], [1, 10])];
            _w3In = [OrtValue.CreateTensorValueFromMemory(smallInput, [1, 16])];
            _w3Out = [OrtValue.CreateTensorValueFromMemory(new float[1], [1, 1])];
            _w4In = [OrtValue.CreateTensorValueFromMemory(batch, [Batch, 784])];
            _w4Out = [OrtValue.CreateTensorValueFromMemory(new float[Batch * 10], [Batch, 10])];

            // The models compute what NetGen computes: compare one sample before timing anything.
            var expected = new float[10];
            mnist.Forward(one, expected);
            W2();
            ReadOnlySpan<float> actual = _w2Out[0].GetTensorDataAsSpan<float>();
            for (int j = 0; j < 10; j++)
            {
                if (MathF.Abs(actual[j] - expected[j]) > 1e-4f)
                {
                    throw new InvalidOperationException($"ONNX output {j} is {actual[j]}, NetGen's is {expected[j]}");
                }
            }
        }
        catch (Exception error) when (error is TypeInitializationException or DllNotFoundException or OnnxRuntimeException or EntryPointNotFoundException or BadImageFormatException)
        {
            _unavailable = $"ONNX Runtime could not be loaded here, so it is skipped: {error.GetBaseException().Message}";
            Console.WriteLine(_unavailable);
        }
    }

    [Benchmark(Description = "W2 ONNX Runtime 784-128-10")]
    public void W2() => Run(_mnist, _w2In, _w2Out);

    [Benchmark(Description = "W3 ONNX Runtime 16-32-32-1")]
    public void W3() => Run(_small, _w3In, _w3Out);

    [Benchmark(Description = "W4 ONNX Runtime 256 × 784-128-10", OperationsPerInvoke = Batch)]
    public void W4() => Run(_mnist, _w4In, _w4Out);

    private static byte[] OnnxModel(INetwork network)
    {
        using var stream = new MemoryStream();
        Onnx.Save(network, stream);
        return stream.ToArray();
    }

    private void Run(InferenceSession? session, OrtValue[] inputs, OrtValue[] outputs)
    {
        if (_unavailable is not null || session is null)
        {
            throw new InvalidOperationException(_unavailable ?? "ONNX Runtime is not set up.");
        }

        session.Run(_runOptions, _inputNames, inputs, _outputNames, outputs);
    }
}
