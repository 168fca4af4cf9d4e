using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using System.Text;
using NetGen.Tests.Networks;
using Xunit;

namespace NetGen.Tests.Interop;

public sealed class SafeTensorsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("netgen-safetensors-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    public static TheoryData<string> Networks => NetworkCatalog.Names;

    [Theory]
    [MemberData(nameof(Networks))]
    public void Every_network_round_trips_through_a_file_bit_for_bit(string name)
    {
        INetwork source = NetworkCatalog.Create(name);
        source.InitializeParameters(1);
        string path = Path.Combine(_folder, $"{name}.safetensors");
        SafeTensors.Save(source, path);

        INetwork target = NetworkCatalog.Create(name);
        target.InitializeParameters(2);
        Assert.NotEqual(source.Parameters.ToArray(), target.Parameters.ToArray());
        SafeTensors.Load(target, path);

        Assert.Equal(Bits(source.Parameters), Bits(target.Parameters));
        var (input, _) = NetworkCatalog.Sample(source, seed: 5);
        Assert.Equal(Bits(Forward(source, input)), Bits(Forward(target, input)));
        Assert.Equal([$"{name}.safetensors"], Directory.GetFiles(_folder).Select(Path.GetFileName));
    }

    [Fact]
    public void The_file_holds_the_twins_state_dict_with_pytorchs_shapes_the_architecture_and_an_aligned_header()
    {
        var network = new XorNet();
        network.InitializeParameters(3);
        byte[] file = SafeTensorsFiles.Save(network);

        Assert.Equal(0, SafeTensorsFiles.HeaderLength(file) % 8);
        Assert.Equal(
            "{\"__metadata__\":{\"format\":\"pt\",\"netgen.architecture\":\"" + XorNet.Architecture + "\"}," +
            "\"0.weight\":{\"dtype\":\"F32\",\"shape\":[4,2],\"data_offsets\":[0,32]}," +
            "\"0.bias\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[32,48]}," +
            "\"2.weight\":{\"dtype\":\"F32\",\"shape\":[1,4],\"data_offsets\":[48,64]}," +
            "\"2.bias\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[64,68]}}",
            SafeTensorsFiles.Header(file));

        // 0.weight[output, input] is NetGen's weight[input, output]: element (1, 0) is input 0 → output 1.
        float[] data = Floats(SafeTensorsFiles.Data(file));
        Assert.Equal(network.Parameters[0 * 4 + 1], data[1 * 2 + 0]);
        Assert.Equal(network.Parameters[1 * 4 + 3], data[3 * 2 + 1]);
        Assert.Equal(network.Parameters[8..12].ToArray(), data[8..12]);
    }

    [Fact]
    public void Names_replace_the_sequential_indices_one_per_layer_with_parameters()
    {
        var source = new DeepVector();
        source.InitializeParameters(4);
        string[] names = ["fc1", "fc2", "fc3", "head"];
        string path = Path.Combine(_folder, "named.safetensors");
        SafeTensors.Save(source, path, names);
        Assert.Contains("\"head.bias\":", SafeTensorsFiles.Header(File.ReadAllBytes(path)));

        var target = new DeepVector();
        SafeTensors.Load(target, path, names);
        Assert.Equal(Bits(source.Parameters), Bits(target.Parameters));

        var error = AssertRefusedAndUnchanged(new DeepVector(), File.ReadAllBytes(path));
        Assert.Contains("no tensor '0.weight'", error.Message);
        Assert.Contains("'fc1.bias'", error.Message);
    }

    [Theory]
    [InlineData("fc1,fc2")]
    [InlineData("fc1,fc2,fc3,fc4,fc5")]
    [InlineData("fc1,fc1,fc3,head")]
    [InlineData("fc1,,fc3,head")]
    public void Names_of_the_wrong_count_or_repeated_or_empty_are_refused(string commaSeparated)
    {
        string[] names = commaSeparated.Split(',');
        var network = new DeepVector();
        using var stream = new MemoryStream();
        Assert.Throws<ArgumentException>("names", () => SafeTensors.Save(network, stream, names));
        Assert.Throws<ArgumentException>("names", () => SafeTensors.Load(network, new MemoryStream(SafeTensorsFiles.Save(network)), names));
        Assert.Equal(0, stream.Length);
    }

    [Fact]
    public void Gradients_are_saved_in_place_of_the_parameters_when_asked()
    {
        var network = new MixedPathsCe();
        network.InitializeParameters(5);
        var (input, target) = NetworkCatalog.Sample(network, seed: 6);
        Forward(network, input);
        network.Backward(target);
        string path = Path.Combine(_folder, "gradients.safetensors");
        SafeTensors.Save(network, path, gradients: true);

        var loaded = new MixedPathsCe();
        SafeTensors.Load(loaded, path);
        Assert.Equal(Bits(network.Gradients), Bits(loaded.Parameters));
        Assert.NotEqual(Bits(network.Parameters), Bits(loaded.Parameters));
    }

    [Fact]
    public void A_non_seekable_stream_loads_like_a_file()
    {
        var source = new WideVectorBce();
        source.InitializeParameters(7);
        var target = new WideVectorBce();
        SafeTensors.Load(target, new NonSeekableStream(SafeTensorsFiles.Save(source)));
        Assert.Equal(Bits(source.Parameters), Bits(target.Parameters));
    }

    [Fact]
    public void F64_values_are_rounded_to_the_nearest_float()
    {
        var source = new WideUnrolledMse();
        source.InitializeParameters(8);
        byte[] file = SafeTensorsFiles.Build(source, "F64", 8, value => Bytes(8, span => BinaryPrimitives.WriteDoubleLittleEndian(span, value + 1e-12)));
        var target = new WideUnrolledMse();
        SafeTensors.Load(target, new MemoryStream(file));
        Assert.Equal(source.Parameters.ToArray().Select(value => (float)(value + 1e-12)), target.Parameters.ToArray());
    }

    [Fact]
    public void F16_values_widen_exactly()
    {
        var source = new WideUnrolledMse();
        source.InitializeParameters(9);
        byte[] file = SafeTensorsFiles.Build(source, "F16", 2, value => Bytes(2, span => BinaryPrimitives.WriteHalfLittleEndian(span, (Half)value)));
        var target = new WideUnrolledMse();
        SafeTensors.Load(target, new MemoryStream(file));
        Assert.Equal(source.Parameters.ToArray().Select(value => (float)(Half)value), target.Parameters.ToArray());
    }

    [Fact]
    public void BF16_values_are_the_upper_half_of_a_float()
    {
        var source = new WideUnrolledMse();
        source.InitializeParameters(10);
        byte[] file = SafeTensorsFiles.Build(
            source, "BF16", 2, value => Bytes(2, span => BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)(BitConverter.SingleToUInt32Bits(value) >> 16))));
        var target = new WideUnrolledMse();
        SafeTensors.Load(target, new MemoryStream(file));
        Assert.Equal(
            source.Parameters.ToArray().Select(value => BitConverter.UInt32BitsToSingle(BitConverter.SingleToUInt32Bits(value) & 0xFFFF0000)),
            target.Parameters.ToArray());
    }

    // XorNet's file: 0.weight [4,2] at [0,32], 0.bias [4] at [32,48], 2.weight [1,4] at [48,64], 2.bias [1] at [64,68].
    [Theory]
    [InlineData("a missing tensor", ",\"2.bias\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[64,68]}", "", "it has no tensor '2.bias'")]
    [InlineData("a tensor that is no object", "\"2.bias\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[64,68]}", "\"2.bias\":null", "tensor '2.bias' is null at file byte")]
    [InlineData("an extra tensor", "}}", "},\"3.weight\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[68,68]}}", "tensors this network does not: '3.weight'")]
    [InlineData("a renamed tensor", "\"2.bias\"", "\"2.b\"", "no tensor '2.bias'")]
    [InlineData("a transposed weight", "[4,2]", "[2,4]", "tensor '0.weight' has shape [2, 4] where this network needs [4, 2] (PyTorch's Linear.weight is [outputs, inputs])")]
    [InlineData("a misshaped bias", "\"shape\":[4]", "\"shape\":[4,1]", "tensor '0.bias' has shape [4, 1] where this network needs [4]")]
    [InlineData("an integer dtype", "\"dtype\":\"F32\",\"shape\":[4]", "\"dtype\":\"I32\",\"shape\":[4]", "tensor '0.bias' has dtype I32; NetGen reads F32, F64, F16 and BF16")]
    [InlineData("a dtype that is no string", "\"dtype\":\"F32\",\"shape\":[4]", "\"dtype\":32,\"shape\":[4]", "tensor '0.bias': its dtype is 32 at file byte")]
    [InlineData("a negative size", "[4,2]", "[4,-2]", "tensor '0.weight': its shape is -2 at file byte")]
    [InlineData("a fractional offset", "[64,68]", "[64,68.5]", "tensor '2.bias': its data_offsets is 68.5 at file byte")]
    [InlineData("three offsets", "[64,68]", "[64,66,68]", "tensor '2.bias': its data_offsets hold 3 numbers, not [begin, end]")]
    [InlineData("no offsets", ",\"data_offsets\":[64,68]", "", "tensor '2.bias' has no data_offsets")]
    [InlineData("offsets that disagree with the shape", "[32,48]", "[32,44]", "tensor '0.bias' has data_offsets [32, 44], which is not the 16 bytes its shape of F32 needs")]
    [InlineData("offsets past the data", "[64,68]", "[68,72]", "tensor '2.bias' ends at file byte")]
    [InlineData("overlapping offsets", "[48,64]", "[44,60]", "tensor '2.weight' starts at file byte")]
    [InlineData("a gap between tensors", "[32,48]", "[36,52]", "belong to no tensor")]
    [InlineData("a repeated tensor", "}}", "},\"2.bias\":{}}", "its header names '2.bias' twice")]
    [InlineData("metadata that is no map of strings", "\"format\":\"pt\"", "\"format\":1", "__metadata__ is 1 at file byte")]
    [InlineData("a header that is no object", "{\"__metadata__\"", "[{\"__metadata__\"", "its header is not a JSON object")]
    [InlineData("a header that is not JSON", "\"shape\":[4]", "\"shape\":[4]]", "its header is not valid JSON")]
    [InlineData("content after the header object", "}}", "}}x", "its header is not valid JSON")]
    public void A_malformed_header_is_refused_with_its_reason(string _, string from, string to, string reason)
    {
        byte[] file = SafeTensorsFiles.EditHeader(SafeTensorsFiles.Save(new XorNet()), header => ReplaceOnce(header, from, to));
        Assert.Contains(reason, AssertRefusedAndUnchanged(new XorNet(), file).Message);
    }

    [Fact]
    public void A_long_list_of_extra_tensors_names_the_first_ten()
    {
        string extras = string.Concat(Enumerable.Range(0, 12).Select(index => $",\"extra{index:D2}\":{{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[68,68]}}"));
        byte[] file = SafeTensorsFiles.EditHeader(SafeTensorsFiles.Save(new XorNet()), header => header[..^1] + extras + "}");
        string message = AssertRefusedAndUnchanged(new XorNet(), file).Message;
        Assert.Contains("'extra00', 'extra01'", message);
        Assert.Contains("'extra09' and 2 more", message);
        Assert.DoesNotContain("extra10", message);
    }

    [Fact]
    public void A_header_that_is_not_utf8_is_refused()
    {
        byte[] json = Encoding.UTF8.GetBytes(SafeTensorsFiles.Header(SafeTensorsFiles.Save(new XorNet())));
        json[3] = 0xFF;
        byte[] file = SafeTensorsFiles.Compose(json, SafeTensorsFiles.Data(SafeTensorsFiles.Save(new XorNet())));
        Assert.Contains("not valid UTF-8", AssertRefusedAndUnchanged(new XorNet(), file).Message);
    }

    [Theory]
    [InlineData(0, "it is truncated: 0 bytes, shorter than the 8-byte header length")]
    [InlineData(5, "it is truncated: 5 bytes, shorter than the 8-byte header length")]
    [InlineData(40, "bytes follow it")]
    [InlineData(-1, "tensor '2.bias' ends at file byte")]
    public void A_truncated_file_is_refused(int keptBytes, string seekable)
    {
        byte[] whole = SafeTensorsFiles.Save(new XorNet());
        byte[] file = whole[..(keptBytes >= 0 ? keptBytes : whole.Length - 1)];
        Assert.Contains(seekable, AssertRefusedAndUnchanged(new XorNet(), file).Message);
        Assert.Contains("truncated", AssertRefusedAndUnchanged(new XorNet(), file, seekable: false).Message);
    }

    [Fact]
    public void Bytes_after_the_last_tensor_are_refused()
    {
        byte[] file = [.. SafeTensorsFiles.Save(new XorNet()), 0];
        Assert.Contains("1 bytes after its last tensor", AssertRefusedAndUnchanged(new XorNet(), file).Message);
        Assert.Contains("bytes after its last tensor", AssertRefusedAndUnchanged(new XorNet(), file, seekable: false).Message);
    }

    [Theory]
    [InlineData(ulong.MaxValue, "over the limit")]
    [InlineData(SafeTensors.MaxHeaderLength + 1UL, "over the limit")]
    [InlineData((ulong)SafeTensors.MaxHeaderLength, "bytes follow it")]
    public void A_header_length_beyond_the_file_or_the_limit_is_refused_without_allocating_it(ulong length, string reason)
    {
        byte[] file = SafeTensorsFiles.Save(new XorNet());
        BinaryPrimitives.WriteUInt64LittleEndian(file, length);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Contains(reason, AssertRefusedAndUnchanged(new XorNet(), file).Message);
        var error = AssertRefusedAndUnchanged(new XorNet(), file, seekable: false);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "allocated more than 1 MiB");
        Assert.Contains(length > SafeTensors.MaxHeaderLength ? reason : "truncated", error.Message);
    }

    [Fact]
    public void A_file_error_names_the_file_and_a_missing_file_is_not_found()
    {
        string path = Path.Combine(_folder, "short.safetensors");
        File.WriteAllBytes(path, new byte[3]);
        var network = new XorNet();
        var error = Assert.Throws<SafeTensorsException>(() => SafeTensors.Load(network, path));
        Assert.Equal(path, error.Path);
        Assert.StartsWith($"Cannot load the safetensors file '{path}': it is truncated", error.Message);
        Assert.EndsWith("The network's parameters are unchanged.", error.Message);
        Assert.Throws<FileNotFoundException>(() => SafeTensors.Load(network, Path.Combine(_folder, "none.safetensors")));
    }

    /// <summary>Loads <paramref name="file"/> into <paramref name="network"/>, expects a refusal, and checks that no parameter moved.</summary>
    internal static SafeTensorsException AssertRefusedAndUnchanged(INetwork network, byte[] file, bool seekable = true)
    {
        network.InitializeParameters(12);
        uint[] before = Bits(network.Parameters);
        Stream stream = seekable ? new MemoryStream(file) : new NonSeekableStream(file);
        var error = Assert.Throws<SafeTensorsException>(() => SafeTensors.Load(network, stream));
        Assert.Equal(before, Bits(network.Parameters));
        Assert.Null(error.Path);
        return error;
    }

    internal static uint[] Bits(ReadOnlySpan<float> values) => values.ToArray().Select(BitConverter.SingleToUInt32Bits).ToArray();

    private static float[] Forward(INetwork network, float[] input)
    {
        var output = new float[network.OutputSize];
        network.Forward(input, output);
        return output;
    }

    private static float[] Floats(byte[] bytes) =>
        Enumerable.Range(0, bytes.Length / 4).Select(index => BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(4 * index))).ToArray();

    private static byte[] Bytes(int size, SpanAction write)
    {
        var bytes = new byte[size];
        write(bytes);
        return bytes;
    }

    private delegate void SpanAction(Span<byte> bytes);

    private static string ReplaceOnce(string text, string from, string to)
    {
        int at = text.IndexOf(from, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{from}' is not in {text}");
        return string.Concat(text.AsSpan(0, at), to, text.AsSpan(at + from.Length));
    }
}
