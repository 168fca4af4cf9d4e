using System;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace NetGen.Benchmarks;

/// <summary>
/// NetGen's W2, W3 and W4 in three processes (see <see cref="VectorWidthJobsAttribute"/>): the runtime's defaults, as
/// on an AVX2 processor, and with a 512-bit <c>Vector&lt;T&gt;</c>.
/// </summary>
[MemoryDiagnoser]
[VectorWidthJobs]
public class VectorWidthBenchmarks
{
    private const int Batch = 256;
    private readonly Mnist128 _mnist = new();
    private readonly Small16 _small = new();
    private readonly float[] _mnistInput = new float[784];
    private readonly float[] _smallInput = new float[16];
    private readonly float[] _mnistOutput = new float[10];
    private readonly float[] _smallOutput = new float[1];
    private readonly float[] _batchOutputs = new float[Batch * 10];
    private BatchWorkspace _workspace = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new SeededRandom(3);
        _workspace = _mnist.CreateWorkspace(Batch);
        Span<float> rows = _workspace.InputRows(Batch);
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i] = random.NextSingle();
        }

        rows[..784].CopyTo(_mnistInput);
        for (int i = 0; i < 16; i++)
        {
            _smallInput[i] = random.NextSymmetric(1f);
        }
    }

    [Benchmark(Description = "W2 NetGen Forward 784-128-10")]
    public void W2() => _mnist.Forward(_mnistInput, _mnistOutput);

    [Benchmark(Description = "W3 NetGen Forward 16-32-32-1")]
    public void W3() => _small.Forward(_smallInput, _smallOutput);

    [Benchmark(Description = "W4 NetGen ForwardBatch 256 × 784-128-10", OperationsPerInvoke = Batch)]
    public void W4() => _mnist.ForwardBatch(_workspace, _workspace.InputRows(Batch), _batchOutputs);
}

/// <summary>
/// Three jobs, each its own process:
/// <list type="bullet">
/// <item>"default": the runtime's choice. On AVX-512 hardware that is an 8-lane <c>Vector&lt;float&gt;</c>, and the
/// batched passes run their 16-lane <c>Vector512</c> tiles first.</item>
/// <item>"AVX2": <c>DOTNET_EnableAVX512=0</c>, what an AVX2 processor runs: 8-lane tiles throughout, and the tiles
/// that fit its 16 vector registers.</item>
/// <item>"MaxVectorTBitWidth=512": <c>DOTNET_MaxVectorTBitWidth=512</c>, a 16-lane <c>Vector&lt;float&gt;</c> in
/// every generated loop, the one-sample passes included.</item>
/// </list>
/// With a positive <see cref="MonitoringIterations"/>, each measures that many single runs after one warm-up (for the
/// training epochs).
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class VectorWidthJobsAttribute : Attribute, IConfigSource
{
    private readonly Lazy<IConfig> _config;

    public VectorWidthJobsAttribute() => _config = new Lazy<IConfig>(CreateConfig);

    /// <summary>0 for BenchmarkDotNet's default job; otherwise a monitoring job of this many iterations.</summary>
    public int MonitoringIterations { get; set; }

    public IConfig Config => _config.Value;

    private IConfig CreateConfig()
    {
        Job baseJob = MonitoringIterations > 0
            ? Job.Default.WithStrategy(BenchmarkDotNet.Engines.RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(MonitoringIterations)
            : Job.Default;
        return ManualConfig.CreateEmpty()
            .AddJob(baseJob.WithId("default"))
            .AddJob(baseJob.WithEnvironmentVariables(new EnvironmentVariable("DOTNET_EnableAVX512", "0")).WithId("AVX2"))
            .AddJob(baseJob.WithEnvironmentVariables(new EnvironmentVariable("DOTNET_MaxVectorTBitWidth", "512")).WithId("MaxVectorTBitWidth=512"));
    }
}
