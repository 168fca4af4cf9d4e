using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;

namespace NetGen.Benchmarks;

/// <summary>
/// Hand-written kernels that isolate one cost each, for docs/performance.md's "what limits each workload": the W2
/// weight stream in one pass or two, W3's multiply-adds without and with tanh, W4's first-layer tile, and the
/// weight-gradient tile over one worker's 32 samples. Weights are [inputs × outputs] as NetGen stores
/// them, starting on a cache line as NetGen's <see cref="AlignedBuffer"/> does, except in the one benchmark that
/// shows what that alignment is worth; the numbers are random, only the memory traffic and the arithmetic matter.
/// </summary>
public class KernelLimitBenchmarks
{
    private const int Inputs = 784, Outputs = 128, Batch = 256, WorkerBatch = 32;

    private readonly float[] _weights = GC.AllocateArray<float>(Inputs * Outputs + 32, pinned: true);
    private readonly float[] _biases = new float[Outputs];
    private readonly float[] _input = new float[Inputs];
    private readonly float[] _output = new float[Outputs];
    private readonly float[] _batch = new float[Batch * Inputs];
    private readonly float[] _batchOutput = new float[Batch * Outputs];
    private readonly AlignedBuffer _deltas = new(WorkerBatch * Outputs);
    private readonly AlignedBuffer _weightGradients = new(Inputs * Outputs);
    private readonly float[] _small1 = new float[16 * 32], _small2 = new float[32 * 32], _small3 = new float[32];
    private readonly float[] _smallInput = new float[16], _smallHidden = new float[32];
    private int _aligned;

    [GlobalSetup]
    public void Setup()
    {
        var random = new SeededRandom(7);
        foreach (Memory<float> values in new Memory<float>[] { _weights, _input, _batch, _small1, _small2, _small3, _smallInput })
        {
            Fill(values.Span, ref random);
        }

        Fill(_deltas.Span, ref random);

        // The first element at a 64-byte boundary: an array on the pinned object heap never moves.
        GCHandle handle = GCHandle.Alloc(_weights, GCHandleType.Pinned);
        long address = handle.AddrOfPinnedObject();
        handle.Free();
        _aligned = (int)((64 - address % 64) % 64 / sizeof(float));
    }

    private ref float Weights => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_weights), _aligned);

    private static void Fill(Span<float> values, ref SeededRandom random)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = random.NextSymmetric(0.5f);
        }
    }

    [Benchmark(Description = "W2 weight stream, 16 vectors in one pass")]
    public void WeightStreamOnePass()
    {
        ref float x = ref MemoryMarshal.GetArrayDataReference(_input);
        int count = Vector<float>.Count;
        var s0 = Vector<float>.Zero; var s1 = s0; var s2 = s0; var s3 = s0; var s4 = s0; var s5 = s0; var s6 = s0; var s7 = s0;
        var s8 = s0; var s9 = s0; var s10 = s0; var s11 = s0; var s12 = s0; var s13 = s0; var s14 = s0; var s15 = s0;
        for (int k = 0; k < Inputs; k++)
        {
            ref float row = ref Unsafe.Add(ref Weights, k * Outputs);
            var d = new Vector<float>(Unsafe.Add(ref x, k));
            s0 = Vector.FusedMultiplyAdd(d, Vector.LoadUnsafe(ref row), s0);
            s1 = Vector.FusedMultiplyAdd(d, Vector.LoadUnsafe(ref row, (nuint)count), s1);
            s2 = Vector.FusedMultiplyAdd(d, Vector.LoadUnsafe(ref row, (nuint)(2 * count)), s2);
            s3 = Vector.FusedMultiplyAdd(d, Vector.LoadUnsafe(ref row, (nuint)(3 * count)), s3);
            s4 = Vector.FusedMultiplyAdd(d, Vector.LoadUnsafe(ref row, (nuint)(4 * count)), s4);
            s5 = Vector.FusedMultiplyAdd(d, Vector.LoadUnsafe(ref row, (nuint)(5 * count)), s5);
            s6 = Vector.FusedMultiplyAdd(d, Vector.LoadUnsafe(ref row, (nuint)(6 * count)), s6);
            s7 = Vector.FusedMultiplyAdd(d, Vector.LoadUnsafe(ref row, (nuint)(7 * count)), s7);
            s8 = Vector.FusedMultiplyAdd(d, Vector.LoadUnsafe(ref row, (nuint)(8 * count)), s8);
            s9 = Vector.FusedMultiplyAdd(d, Vector.LoadUnsafe(ref row, (nuint)(9 * count)), s9);
            s10 = Vector.FusedMultiplyAdd(d, Vector.LoadUnsafe(ref row, (nuint)(10 * count)), s10);
            s11 = Vector.FusedMultiplyAdd(d, Vector.LoadUnsafe(ref row, (nuint)(11 * count)), s11);
            s12 = Vector.FusedMultiplyAdd(d, Vector.LoadUnsafe(ref row, (nuint)(12 * count)), s12);
            s13 = Vector.FusedMultiplyAdd(d, Vector.LoadUnsafe(ref row, (nuint)(13 * count)), s13);
            s14 = Vector.FusedMultiplyAdd(d, Vector.LoadUnsafe(ref row, (nuint)(14 * count)), s14);
            s15 = Vector.FusedMultiplyAdd(d, Vector.LoadUnsafe(ref row, (nuint)(15 * count)), s15);
        }

        ref float z = ref MemoryMarshal.GetArrayDataReference(_output);
        (s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7 + s8 + s9 + s10 + s11 + s12 + s13 + s14 + s15).StoreUnsafe(ref z);
    }

    [Benchmark(Description = "W2 weight stream, 8 vectors in two passes")]
    public void WeightStreamTwoPasses()
    {
        int half = Outputs / 2;
        HalfWeightStream(0);
        HalfWeightStream(half);
    }

    /// <summary>Eight output vectors from <paramref name="first"/>, one accumulator each, over every input.</summary>
    private void HalfWeightStream(int first)
    {
        ref float x = ref MemoryMarshal.GetArrayDataReference(_input);
        ref float column = ref Unsafe.Add(ref Weights, first);
        int count = Vector<float>.Count;
        var s0 = Vector<float>.Zero; var s1 = s0; var s2 = s0; var s3 = s0; var s4 = s0; var s5 = s0; var s6 = s0; var s7 = s0;
        for (int k = 0; k < Inputs; k++)
        {
            ref float row = ref Unsafe.Add(ref column, k * Outputs);
            var d = new Vector<float>(Unsafe.Add(ref x, k));
            s0 = Vector.FusedMultiplyAdd(d, Vector.LoadUnsafe(ref row), s0);
            s1 = Vector.FusedMultiplyAdd(d, Vector.LoadUnsafe(ref row, (nuint)count), s1);
            s2 = Vector.FusedMultiplyAdd(d, Vector.LoadUnsafe(ref row, (nuint)(2 * count)), s2);
            s3 = Vector.FusedMultiplyAdd(d, Vector.LoadUnsafe(ref row, (nuint)(3 * count)), s3);
            s4 = Vector.FusedMultiplyAdd(d, Vector.LoadUnsafe(ref row, (nuint)(4 * count)), s4);
            s5 = Vector.FusedMultiplyAdd(d, Vector.LoadUnsafe(ref row, (nuint)(5 * count)), s5);
            s6 = Vector.FusedMultiplyAdd(d, Vector.LoadUnsafe(ref row, (nuint)(6 * count)), s6);
            s7 = Vector.FusedMultiplyAdd(d, Vector.LoadUnsafe(ref row, (nuint)(7 * count)), s7);
        }

        ref float z = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_output), first);
        (s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7).StoreUnsafe(ref z);
    }

    [Benchmark(Description = "W3 multiply-adds only")]
    public float SmallMultiplyAdds() => Small(tanh: false);

    [Benchmark(Description = "W3 multiply-adds and VectorMath.Tanh")]
    public float SmallWithTanh() => Small(tanh: true);

    /// <summary>16-32-32-1 as four output vectors per hidden layer (eight lanes each: the runtime's default width).</summary>
    private float Small(bool tanh)
    {
        if (Vector<float>.Count != 8)
        {
            throw new PlatformNotSupportedException("The W3 kernels are written for 8-lane vectors.");
        }

        ref float x = ref MemoryMarshal.GetArrayDataReference(_smallInput);
        ref float w1 = ref MemoryMarshal.GetArrayDataReference(_small1);
        var (h0, h1, h2, h3) = FourVectors(ref x, ref w1, 16);
        if (tanh)
        {
            (h0, h1, h2, h3) = (VectorMath.Tanh(h0), VectorMath.Tanh(h1), VectorMath.Tanh(h2), VectorMath.Tanh(h3));
        }

        ref float hidden = ref MemoryMarshal.GetArrayDataReference(_smallHidden);
        h0.StoreUnsafe(ref hidden);
        h1.StoreUnsafe(ref hidden, 8);
        h2.StoreUnsafe(ref hidden, 16);
        h3.StoreUnsafe(ref hidden, 24);
        var (g0, g1, g2, g3) = FourVectors(ref hidden, ref MemoryMarshal.GetArrayDataReference(_small2), 32);
        if (tanh)
        {
            (g0, g1, g2, g3) = (VectorMath.Tanh(g0), VectorMath.Tanh(g1), VectorMath.Tanh(g2), VectorMath.Tanh(g3));
        }

        ref float w3 = ref MemoryMarshal.GetArrayDataReference(_small3);
        var sum = g0 * Vector.LoadUnsafe(ref w3);
        sum = Vector.FusedMultiplyAdd(g1, Vector.LoadUnsafe(ref w3, 8), sum);
        sum = Vector.FusedMultiplyAdd(g2, Vector.LoadUnsafe(ref w3, 16), sum);
        sum = Vector.FusedMultiplyAdd(g3, Vector.LoadUnsafe(ref w3, 24), sum);
        return Vector.Sum(sum);
    }

    /// <summary>32 outputs, even and odd inputs in separate accumulators.</summary>
    private static (Vector<float>, Vector<float>, Vector<float>, Vector<float>) FourVectors(ref float x, ref float w, int inputs)
    {
        var c0 = Vector<float>.Zero; var c1 = c0; var c2 = c0; var c3 = c0;
        var d0 = c0; var d1 = c0; var d2 = c0; var d3 = c0;
        for (int k = 0; k < inputs; k += 2)
        {
            ref float row = ref Unsafe.Add(ref w, k * 32);
            var even = new Vector<float>(Unsafe.Add(ref x, k));
            var odd = new Vector<float>(Unsafe.Add(ref x, k + 1));
            c0 = Vector.FusedMultiplyAdd(even, Vector.LoadUnsafe(ref row), c0);
            c1 = Vector.FusedMultiplyAdd(even, Vector.LoadUnsafe(ref row, 8), c1);
            c2 = Vector.FusedMultiplyAdd(even, Vector.LoadUnsafe(ref row, 16), c2);
            c3 = Vector.FusedMultiplyAdd(even, Vector.LoadUnsafe(ref row, 24), c3);
            d0 = Vector.FusedMultiplyAdd(odd, Vector.LoadUnsafe(ref row, 32), d0);
            d1 = Vector.FusedMultiplyAdd(odd, Vector.LoadUnsafe(ref row, 40), d1);
            d2 = Vector.FusedMultiplyAdd(odd, Vector.LoadUnsafe(ref row, 48), d2);
            d3 = Vector.FusedMultiplyAdd(odd, Vector.LoadUnsafe(ref row, 56), d3);
        }

        return (c0 + d0, c1 + d1, c2 + d2, c3 + d3);
    }

    [Benchmark(Description = "W4 4×2 tile over 784 inputs, first layer only", OperationsPerInvoke = Batch)]
    public void BatchTile()
    {
        for (int s = 0; s < Batch; s += 4)
        {
            for (int o = 0; o < Outputs; o += 2 * Vector<float>.Count)
            {
                BatchTile4x2(ref Unsafe.Add(ref Weights, o), Outputs, Inputs, 0, s, o);
            }
        }
    }

    /// <summary>
    /// The same tile with the weights 16 bytes past a cache line, where a plain large float array starts: every other
    /// 256-bit weight load then straddles two lines.
    /// </summary>
    [Benchmark(Description = "W4 4×2 tile, weights 16 bytes past a cache line", OperationsPerInvoke = Batch)]
    public void BatchTileMisaligned()
    {
        for (int s = 0; s < Batch; s += 4)
        {
            for (int o = 0; o < Outputs; o += 2 * Vector<float>.Count)
            {
                BatchTile4x2(ref Unsafe.Add(ref Weights, o + 4), Outputs, Inputs, 0, s, o);
            }
        }
    }

    private void BatchTile4x2(ref float column, int stride, int rows, int first, int s, int o)
    {
        int count = Vector<float>.Count;
        ref float x = ref MemoryMarshal.GetArrayDataReference(_batch);
        ref float x0 = ref Unsafe.Add(ref x, s * Inputs + first);
        ref float x1 = ref Unsafe.Add(ref x0, Inputs);
        ref float x2 = ref Unsafe.Add(ref x1, Inputs);
        ref float x3 = ref Unsafe.Add(ref x2, Inputs);
        ref float z = ref MemoryMarshal.GetArrayDataReference(_batchOutput);
        ref float z0 = ref Unsafe.Add(ref z, s * Outputs + o);
        ref float b = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_biases), o);
        bool start = first == 0;
        var a00 = start ? Vector.LoadUnsafe(ref b) : Vector.LoadUnsafe(ref z0);
        var a01 = start ? Vector.LoadUnsafe(ref b, (nuint)count) : Vector.LoadUnsafe(ref z0, (nuint)count);
        var a10 = start ? a00 : Vector.LoadUnsafe(ref z0, (nuint)Outputs);
        var a11 = start ? a01 : Vector.LoadUnsafe(ref z0, (nuint)(Outputs + count));
        var a20 = start ? a00 : Vector.LoadUnsafe(ref z0, (nuint)(2 * Outputs));
        var a21 = start ? a01 : Vector.LoadUnsafe(ref z0, (nuint)(2 * Outputs + count));
        var a30 = start ? a00 : Vector.LoadUnsafe(ref z0, (nuint)(3 * Outputs));
        var a31 = start ? a01 : Vector.LoadUnsafe(ref z0, (nuint)(3 * Outputs + count));
        for (int k = 0; k < rows; k++)
        {
            ref float row = ref Unsafe.Add(ref column, k * stride);
            var w0 = Vector.LoadUnsafe(ref row);
            var w1 = Vector.LoadUnsafe(ref row, (nuint)count);
            var d = new Vector<float>(Unsafe.Add(ref x0, k));
            a00 = Vector.FusedMultiplyAdd(d, w0, a00);
            a01 = Vector.FusedMultiplyAdd(d, w1, a01);
            d = new Vector<float>(Unsafe.Add(ref x1, k));
            a10 = Vector.FusedMultiplyAdd(d, w0, a10);
            a11 = Vector.FusedMultiplyAdd(d, w1, a11);
            d = new Vector<float>(Unsafe.Add(ref x2, k));
            a20 = Vector.FusedMultiplyAdd(d, w0, a20);
            a21 = Vector.FusedMultiplyAdd(d, w1, a21);
            d = new Vector<float>(Unsafe.Add(ref x3, k));
            a30 = Vector.FusedMultiplyAdd(d, w0, a30);
            a31 = Vector.FusedMultiplyAdd(d, w1, a31);
        }

        a00.StoreUnsafe(ref z0);
        a01.StoreUnsafe(ref z0, (nuint)count);
        a10.StoreUnsafe(ref z0, (nuint)Outputs);
        a11.StoreUnsafe(ref z0, (nuint)(Outputs + count));
        a20.StoreUnsafe(ref z0, (nuint)(2 * Outputs));
        a21.StoreUnsafe(ref z0, (nuint)(2 * Outputs + count));
        a30.StoreUnsafe(ref z0, (nuint)(3 * Outputs));
        a31.StoreUnsafe(ref z0, (nuint)(3 * Outputs + count));
    }

    [Benchmark(Description = "W1 weight-gradient 4×2 tile, 32 samples")]
    public void WeightGradient()
    {
        int count = Vector<float>.Count;
        ref float x = ref MemoryMarshal.GetArrayDataReference(_batch);
        ref float delta = ref MemoryMarshal.GetReference(_deltas.Span);
        ref float gradients = ref MemoryMarshal.GetReference(_weightGradients.Span);
        for (int i = 0; i < Inputs; i += 4)
        {
            for (int o = 0; o < Outputs; o += 2 * count)
            {
                var a00 = Vector<float>.Zero; var a01 = a00; var a10 = a00; var a11 = a00;
                var a20 = a00; var a21 = a00; var a30 = a00; var a31 = a00;
                for (int k = 0; k < WorkerBatch; k++)
                {
                    ref float row = ref Unsafe.Add(ref delta, k * Outputs + o);
                    var d0 = Vector.LoadUnsafe(ref row);
                    var d1 = Vector.LoadUnsafe(ref row, (nuint)count);
                    ref float xs = ref Unsafe.Add(ref x, k * Inputs + i);
                    var b = new Vector<float>(xs);
                    a00 = Vector.FusedMultiplyAdd(b, d0, a00);
                    a01 = Vector.FusedMultiplyAdd(b, d1, a01);
                    b = new Vector<float>(Unsafe.Add(ref xs, 1));
                    a10 = Vector.FusedMultiplyAdd(b, d0, a10);
                    a11 = Vector.FusedMultiplyAdd(b, d1, a11);
                    b = new Vector<float>(Unsafe.Add(ref xs, 2));
                    a20 = Vector.FusedMultiplyAdd(b, d0, a20);
                    a21 = Vector.FusedMultiplyAdd(b, d1, a21);
                    b = new Vector<float>(Unsafe.Add(ref xs, 3));
                    a30 = Vector.FusedMultiplyAdd(b, d0, a30);
                    a31 = Vector.FusedMultiplyAdd(b, d1, a31);
                }

                ref float g = ref Unsafe.Add(ref gradients, i * Outputs + o);
                (Vector.LoadUnsafe(ref g) + a00).StoreUnsafe(ref g);
                (Vector.LoadUnsafe(ref g, (nuint)count) + a01).StoreUnsafe(ref g, (nuint)count);
                (Vector.LoadUnsafe(ref g, (nuint)Outputs) + a10).StoreUnsafe(ref g, (nuint)Outputs);
                (Vector.LoadUnsafe(ref g, (nuint)(Outputs + count)) + a11).StoreUnsafe(ref g, (nuint)(Outputs + count));
                (Vector.LoadUnsafe(ref g, (nuint)(2 * Outputs)) + a20).StoreUnsafe(ref g, (nuint)(2 * Outputs));
                (Vector.LoadUnsafe(ref g, (nuint)(2 * Outputs + count)) + a21).StoreUnsafe(ref g, (nuint)(2 * Outputs + count));
                (Vector.LoadUnsafe(ref g, (nuint)(3 * Outputs)) + a30).StoreUnsafe(ref g, (nuint)(3 * Outputs));
                (Vector.LoadUnsafe(ref g, (nuint)(3 * Outputs + count)) + a31).StoreUnsafe(ref g, (nuint)(3 * Outputs + count));
            }
        }
    }
}
