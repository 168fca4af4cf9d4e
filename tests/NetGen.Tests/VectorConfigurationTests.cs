using System;
using System.Globalization;
using System.IO;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;
using System.Text;
using Xunit;

namespace NetGen.Tests;

/// <summary>
/// What the vector configurations of <c>.ci/run</c> rely on: each run says which vector widths it expects, so a runtime
/// that ignored a switch fails instead of silently testing one configuration twice, and each run can record digests of
/// the batched results, which <c>.ci/run</c> compares across configurations that must agree bit for bit.
/// </summary>
public class VectorConfigurationTests
{
    [Fact]
    public void Vector_width_is_the_one_the_environment_asks_for()
    {
        string? expected = Environment.GetEnvironmentVariable("NETGEN_EXPECTED_VECTOR_COUNT");
        Assert.Equal(expected is null ? Vector<float>.Count : int.Parse(expected, CultureInfo.InvariantCulture), Vector<float>.Count);
    }

    [Fact]
    public void Vector512_acceleration_is_the_one_the_environment_asks_for()
    {
        string? expected = Environment.GetEnvironmentVariable("NETGEN_EXPECTED_VECTOR512");
        Assert.Equal(expected is null ? Vector512.IsHardwareAccelerated : expected == "1", Vector512.IsHardwareAccelerated);
    }

    /// <summary>
    /// With <c>NETGEN_DIGEST_FILE</c> set, writes one line per catalog network: a digest of a 37-sample batch's outputs,
    /// loss and gradients. The 16-lane <c>Vector512</c> tiles must not change a bit of them, so <c>.ci/run</c> compares
    /// the file of its default run (8-lane <c>Vector&lt;float&gt;</c> with those tiles, on AVX-512 hardware) with that
    /// of its run without 512-bit code.
    /// </summary>
    [Fact]
    public void Batched_results_are_recorded_as_digests_for_comparison_across_configurations()
    {
        var lines = new StringBuilder();
        foreach (string name in NetworkCatalog.AllNames)
        {
            INetwork network = NetworkCatalog.Create(name);
            network.InitializeParameters(seed: 5);
            const int count = 37;
            var (inputs, targets) = NetworkCatalog.SampleRows(network, count, firstSeed: 70);
            BatchWorkspace workspace = network.CreateWorkspace(count);
            var outputs = new float[count * network.OutputSize];
            network.ForwardBatch(workspace, inputs, outputs);
            float loss = network.BackwardBatch(workspace, targets);

            Assert.True(float.IsFinite(loss), $"{name}: loss {loss}");
            lines.Append(CultureInfo.InvariantCulture, $"{name} outputs {Digest(outputs)} loss {BitConverter.SingleToInt32Bits(loss):X8} gradients {Digest(workspace.GradientSpan)}\n");
        }

        if (Environment.GetEnvironmentVariable("NETGEN_DIGEST_FILE") is { Length: > 0 } path)
        {
            File.WriteAllText(path, lines.ToString());
        }
    }

    private static string Digest(ReadOnlySpan<float> values) => Convert.ToHexString(SHA256.HashData(MemoryMarshal.AsBytes(values)));
}
