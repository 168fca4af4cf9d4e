using System;
using System.IO;
using System.Linq;
using NetGen.Tests.Networks;
using Xunit;

namespace NetGen.Tests.Training;

public sealed class CheckpointTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("netgen-checkpoints-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_saved_checkpoint_loads_back_bit_for_bit_and_leaves_no_temporary_file()
    {
        var source = new MixedPathsCe();
        source.InitializeParameters(3);
        string path = Path.Combine(_folder, "net.ngck");
        Checkpoint.Save(source, path);
        Checkpoint.Save(source, path);

        var target = new MixedPathsCe();
        Checkpoint.Load(target, path);

        Assert.Equal(source.Parameters.ToArray(), target.Parameters.ToArray());
        Assert.Equal(new[] { "net.ngck" }, Directory.GetFiles(_folder).Select(Path.GetFileName));
        Assert.Equal(32 + 4 * MixedPathsCe.ParameterCount, new FileInfo(path).Length);
    }

    [Fact]
    public void A_checkpoint_of_another_architecture_with_the_same_size_is_refused()
    {
        string path = Save(new HandWorkedRelu());
        Assert.Equal(HandWorkedRelu.ParameterCount, HandWorkedBce.ParameterCount);

        var error = AssertRefusedAndUnchanged(new HandWorkedBce(), path);

        Assert.Contains("another architecture", error.Message);
        Assert.Contains(HandWorkedBce.Architecture, error.Message);
    }

    [Theory]
    [InlineData("truncated in the header", 20)]
    [InlineData("truncated in the parameters", 40)]
    public void A_truncated_checkpoint_is_refused(string _, int keptBytes)
    {
        string path = Save(new XorNet());
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..keptBytes]);
        Assert.Contains("truncated", AssertRefusedAndUnchanged(new XorNet(), path).Message);
    }

    [Fact]
    public void A_checkpoint_with_a_flipped_parameter_byte_is_refused_as_corrupted()
    {
        string path = Save(new XorNet());
        byte[] bytes = File.ReadAllBytes(path);
        bytes[40] ^= 0x10;
        File.WriteAllBytes(path, bytes);
        Assert.Contains("corrupted", AssertRefusedAndUnchanged(new XorNet(), path).Message);
    }

    [Fact]
    public void A_file_that_is_not_a_checkpoint_is_refused()
    {
        string path = Path.Combine(_folder, "other.bin");
        File.WriteAllBytes(path, new byte[100]);
        Assert.Contains("NGCK", AssertRefusedAndUnchanged(new XorNet(), path).Message);
    }

    [Fact]
    public void A_checkpoint_of_a_future_format_version_is_refused()
    {
        string path = Save(new XorNet());
        byte[] bytes = File.ReadAllBytes(path);
        bytes[4] = 3;
        File.WriteAllBytes(path, bytes);
        Assert.Contains("format version 3", AssertRefusedAndUnchanged(new XorNet(), path).Message);
    }

    [Fact]
    public void A_version_1_checkpoint_with_the_old_weight_layout_is_refused_with_the_reason()
    {
        string path = Save(new XorNet());
        byte[] bytes = File.ReadAllBytes(path);
        bytes[4] = 1;
        File.WriteAllBytes(path, bytes);
        string message = AssertRefusedAndUnchanged(new XorNet(), path).Message;
        Assert.Contains("format version 1", message);
        Assert.Contains("[outputs × inputs]", message);
    }

    [Fact]
    public void A_checkpoint_with_trailing_bytes_is_refused()
    {
        string path = Save(new XorNet());
        File.AppendAllText(path, "x");
        Assert.Contains("after the", AssertRefusedAndUnchanged(new XorNet(), path).Message);
    }

    private string Save(INetwork network)
    {
        network.InitializeParameters(77);
        string path = Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".ngck");
        Checkpoint.Save(network, path);
        return path;
    }

    private static CheckpointException AssertRefusedAndUnchanged(INetwork network, string path)
    {
        float[] before = network.Parameters.ToArray();
        var error = Assert.Throws<CheckpointException>(() => Checkpoint.Load(network, path));
        Assert.Equal(before, network.Parameters.ToArray());
        Assert.Contains(path, error.Message);
        Assert.Contains("unchanged", error.Message);
        return error;
    }
}
