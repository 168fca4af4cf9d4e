using System;
using BenchmarkDotNet.Attributes;
using NetGen.Kernels;

namespace NetGen.Benchmarks;

/// <summary>
/// LeNet-5's convolution and pooling kernels at batch 64, one call per benchmark: conv1 1×28×28 → 6×24×24 and conv2
/// 6×12×12 → 16×8×8 (5 × 5 filters), each pass 2·64·F·OH·OW·C·K·K floating-point operations (11.1 and 19.7 MFLOP), and
/// the 2 × 2 max pooling after conv1. GFLOP/s = MFLOP / mean µs · 1000.
/// </summary>
public class ConvolutionBenchmarks
{
    private const int Count = 64;

    private readonly Layer _conv1 = new(new ConvolutionShape(1, 28, 28, 6, 5, 1, 0));
    private readonly Layer _conv2 = new(new ConvolutionShape(6, 12, 12, 16, 5, 1, 0));
    private readonly PoolingShape _pool1 = new(6, 24, 24, 2, 2);
    private float[] _poolOutputs = Array.Empty<float>(), _poolDeltas = Array.Empty<float>();

    [GlobalSetup]
    public void Setup()
    {
        var random = new SeededRandom(7);
        _conv1.Fill(ref random);
        _conv2.Fill(ref random);
        _poolOutputs = new float[Count * _pool1.OutputLength];
        _poolDeltas = new float[Count * _pool1.OutputLength];
    }

    [Benchmark(Description = "conv1 forward ReLU")]
    public void Conv1Forward() => _conv1.Forward();

    [Benchmark(Description = "conv1 weight gradients")]
    public void Conv1WeightGradients() => _conv1.WeightGradients();

    [Benchmark(Description = "conv2 forward ReLU")]
    public void Conv2Forward() => _conv2.Forward();

    [Benchmark(Description = "conv2 weight gradients")]
    public void Conv2WeightGradients() => _conv2.WeightGradients();

    [Benchmark(Description = "conv2 input delta")]
    public void Conv2InputDelta() => _conv2.InputDelta();

    [Benchmark(Description = "pool1 2×2 max forward")]
    public void Pool1Forward() => PoolingKernels.MaxForwardBatch(_pool1, _conv1.Outputs, _poolOutputs, Count, 0, 6);

    [Benchmark(Description = "pool1 2×2 max input delta")]
    public void Pool1InputDelta() => PoolingKernels.MaxInputDeltaBatch(_pool1, _conv1.Outputs, _poolDeltas, _conv1.Deltas, Count, 0, 6);

    /// <summary>One convolution's buffers for a batch of <see cref="Count"/>.</summary>
    private sealed class Layer(ConvolutionShape shape)
    {
        private readonly ConvolutionShape _shape = shape;
        private readonly float[] _inputs = new float[Count * shape.InputLength], _inputDeltas = new float[Count * shape.InputLength];
        private readonly float[] _weights = new float[shape.WeightCount], _biases = new float[shape.Filters];
        private readonly float[] _weightGradients = new float[shape.WeightCount], _biasGradients = new float[shape.Filters];
        private readonly float[] _scratch = new float[shape.ScratchLength];

        public float[] Outputs { get; } = new float[Count * shape.OutputLength];

        public float[] Deltas { get; } = new float[Count * shape.OutputLength];

        public void Fill(ref SeededRandom random)
        {
            foreach (float[] values in new[] { _inputs, _weights, _biases, Deltas })
            {
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = random.NextSymmetric(0.5f);
                }
            }
        }

        public void Forward() =>
            ConvolutionKernels.ForwardBatch<ReLUActivation>(_shape, _inputs, _weights, _biases, Outputs, _scratch, Count, 0, _shape.Filters);

        public void WeightGradients() =>
            ConvolutionKernels.WeightGradientsBatch(_shape, _inputs, Deltas, _weightGradients, _biasGradients, _scratch, Count, 0, _shape.Filters);

        public void InputDelta() =>
            ConvolutionKernels.InputDeltaBatch(_shape, Deltas, _weights, _inputDeltas, _scratch, Count, 0, _shape.InputChannels);
    }
}
