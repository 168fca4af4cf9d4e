using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace NetGen;

/// <summary>
/// Reads and writes a network's parameters as a safetensors file (https://github.com/huggingface/safetensors) holding
/// the <c>state_dict</c> of its <see cref="PyTorchTwin"/>: for a Dense layer <c>0.weight</c> [outputs, inputs] (the
/// transpose of NetGen's input-major block) and <c>0.bias</c> [outputs], for a Conv2D layer <c>0.weight</c>
/// [filters, channels, kernel, kernel] (NetGen's block as it is) and <c>0.bias</c> [filters], then the next
/// parameterized module's index. PyTorch loads such a file with
/// <c>model.load_state_dict(safetensors.torch.load_file(path))</c> and writes one with <c>save_file(model.state_dict(), path)</c>.
/// </summary>
/// <remarks>
/// <para>
/// <c>names</c> replaces the Sequential indices with one prefix per layer with parameters (Conv2D and Dense), for a module whose layers
/// are named (<c>["fc1", "fc2"]</c> reads <c>fc1.weight</c>, <c>fc1.bias</c>, <c>fc2.weight</c>, <c>fc2.bias</c>).
/// Loading converts F64, F16 and BF16 tensors to float; saving writes F32.
/// </para>
/// <para>
/// Loading checks everything before touching the network: a missing, extra or misshaped tensor, another dtype, a
/// truncated file, a header that is not JSON or is longer than <see cref="MaxHeaderLength"/>, and offsets that run
/// past the data, overlap, leave gaps or disagree with the shape throw <see cref="SafeTensorsException"/> and leave the
/// parameters as they were. No buffer is sized by the header beyond what the stream holds: a seekable stream's length
/// bounds the header, a non-seekable one's header buffer grows only as bytes arrive, and the data is read only once the
/// header has been checked against the network, so it is never larger than 8 bytes per parameter.
/// </para>
/// </remarks>
public static class SafeTensors
{
    /// <summary>The longest header Load accepts, 100 MB; a NetGen header takes about 100 bytes per tensor.</summary>
    public const int MaxHeaderLength = 100 * 1024 * 1024;

    private const int FirstChunk = 64 * 1024;

    private enum DType
    {
        F32,
        F64,
        F16,
        BF16,
    }

    /// <summary>
    /// Writes <paramref name="network"/>'s parameters, or with <paramref name="gradients"/> its gradients, to
    /// <paramref name="path"/> as F32 tensors, atomically (a temporary file renamed over the target).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="names"/> does not hold one distinct, non-empty prefix per layer with parameters.</exception>
    public static void Save(INetwork network, string path, IReadOnlyList<string>? names = null, bool gradients = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var (header, data) = Encode(network, names, gradients);
        AtomicFile.Write(path, header, data);
    }

    /// <summary>Writes <paramref name="network"/>'s parameters, or its gradients, to <paramref name="stream"/> as F32 tensors.</summary>
    /// <exception cref="ArgumentException"><paramref name="names"/> does not hold one distinct, non-empty prefix per layer with parameters.</exception>
    public static void Save(INetwork network, Stream stream, IReadOnlyList<string>? names = null, bool gradients = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var (header, data) = Encode(network, names, gradients);
        stream.Write(header);
        stream.Write(data);
    }

    /// <summary>Replaces <paramref name="network"/>'s parameters with the tensors in the file at <paramref name="path"/>.</summary>
    /// <exception cref="SafeTensorsException">The file does not hold exactly this network's tensors, or is malformed.</exception>
    /// <exception cref="ArgumentException"><paramref name="names"/> does not hold one distinct, non-empty prefix per layer with parameters.</exception>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    public static void Load(INetwork network, string path, IReadOnlyList<string>? names = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        IReadOnlyList<TwinTensor> tensors = Tensors(network, names);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        Load(network, tensors, file, path);
    }

    /// <summary>
    /// Replaces <paramref name="network"/>'s parameters with the tensors read from <paramref name="stream"/>'s position
    /// to its end. A non-seekable stream is read in growing chunks and must end after the last tensor.
    /// </summary>
    /// <exception cref="SafeTensorsException">The stream does not hold exactly this network's tensors, or is malformed.</exception>
    /// <exception cref="ArgumentException"><paramref name="names"/> does not hold one distinct, non-empty prefix per layer with parameters, or the stream cannot be read.</exception>
    public static void Load(INetwork network, Stream stream, IReadOnlyList<string>? names = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        IReadOnlyList<TwinTensor> tensors = Tensors(network, names);
        if (!stream.CanRead)
        {
            throw new ArgumentException("The stream cannot be read.", nameof(stream));
        }

        Load(network, tensors, stream, path: null);
    }

    private static IReadOnlyList<TwinTensor> Tensors(INetwork network, IReadOnlyList<string>? names)
    {
        ArgumentNullException.ThrowIfNull(network);
        IReadOnlyList<string> prefixes = PyTorchTwin.ParameterPrefixes(network.Layers);
        if (names is not null)
        {
            if (names.Count != prefixes.Count)
            {
                throw new ArgumentException(
                    $"{network.Architecture} has {prefixes.Count} layers with parameters, so it needs {prefixes.Count} names, not {names.Count}.",
                    nameof(names));
            }

            if (names.Any(string.IsNullOrEmpty) || names.Distinct(StringComparer.Ordinal).Count() != names.Count)
            {
                throw new ArgumentException($"The names must be distinct and non-empty: [{string.Join(", ", names)}].", nameof(names));
            }

            prefixes = names;
        }

        return PyTorchTwin.Tensors(network.Layers, prefixes);
    }

    private static (byte[] Header, byte[] Data) Encode(INetwork network, IReadOnlyList<string>? names, bool gradients)
    {
        IReadOnlyList<TwinTensor> tensors = Tensors(network, names);
        ReadOnlySpan<float> source = gradients ? network.Gradients : network.Parameters;
        var entries = new List<(string, SafeTensorsHeader.Entry)>(tensors.Count);
        var data = new byte[sizeof(float) * (long)tensors.Sum(tensor => tensor.Block.Length)];
        long begin = 0;
        foreach (TwinTensor tensor in tensors)
        {
            Span<byte> bytes = data.AsSpan((int)begin, sizeof(float) * tensor.Block.Length);
            for (int index = 0; index < tensor.Block.Length; index++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(bytes[(sizeof(float) * index)..], source[tensor.StorageIndex(index)]);
            }

            entries.Add((tensor.Name, new SafeTensorsHeader.Entry("F32", tensor.Shape, begin, begin + bytes.Length)));
            begin += bytes.Length;
        }

        byte[] header = SafeTensorsHeader.Write(entries, new[] { ("format", "pt"), ("netgen.architecture", network.Architecture) });
        return (header, data);
    }

    private static void Load(INetwork network, IReadOnlyList<TwinTensor> tensors, Stream stream, string? path)
    {
        // What follows the stream's position, when it can tell; otherwise −1.
        long available = stream.CanSeek ? stream.Length - stream.Position : -1;
        Span<byte> length = stackalloc byte[SafeTensorsHeader.LengthSize];
        int read = ReadUpTo(stream, length);
        if (read < length.Length)
        {
            throw new SafeTensorsException(path, $"it is truncated: {read} bytes, shorter than the 8-byte header length");
        }

        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(length);
        if (headerLength > MaxHeaderLength)
        {
            throw new SafeTensorsException(path, $"its header length (bytes 0–7) says {headerLength} bytes, over the limit of {MaxHeaderLength}");
        }

        if (available >= 0 && (long)headerLength > available - length.Length)
        {
            throw new SafeTensorsException(
                path,
                $"its header length (bytes 0–7) says {headerLength} bytes, but only {available - length.Length} bytes follow it");
        }

        byte[] header = ReadBounded(stream, (int)headerLength, "its header", path);
        Dictionary<string, SafeTensorsHeader.Entry> entries = SafeTensorsHeader.Parse(header, path);
        long dataStart = length.Length + header.Length;
        long availableData = available >= 0 ? available - dataStart : -1;
        var (dtypes, dataLength) = Check(entries, tensors, availableData, dataStart, path);
        if (availableData > dataLength)
        {
            throw new SafeTensorsException(path, $"it has {availableData - dataLength} bytes after its last tensor, from file byte {dataStart + dataLength}");
        }

        if (dataLength > Array.MaxLength)
        {
            throw new SafeTensorsException(path, $"its data is {dataLength} bytes, more than one array can hold");
        }

        byte[] data = ReadBounded(stream, (int)dataLength, "its data", path);
        if (available < 0 && stream.ReadByte() >= 0)
        {
            throw new SafeTensorsException(path, $"it has bytes after its last tensor, from file byte {dataStart + dataLength}");
        }

        float[] parameters = network.Parameters.ToArray();
        for (int t = 0; t < tensors.Count; t++)
        {
            TwinTensor tensor = tensors[t];
            SafeTensorsHeader.Entry entry = entries[tensor.Name];
            ReadOnlySpan<byte> bytes = data.AsSpan((int)entry.Begin, (int)(entry.End - entry.Begin));
            for (int index = 0; index < tensor.Block.Length; index++)
            {
                parameters[tensor.StorageIndex(index)] = Decode(bytes, dtypes[t], index);
            }
        }

        parameters.CopyTo(network.Parameters);
    }

    /// <summary>
    /// Checks the header against the network's tensors: names, dtypes, shapes, then the offsets, which must tile the
    /// data from byte 0 without gaps or overlaps. Returns each tensor's dtype and the data length they cover.
    /// </summary>
    private static (DType[] DTypes, long DataLength) Check(
        Dictionary<string, SafeTensorsHeader.Entry> entries, IReadOnlyList<TwinTensor> tensors, long availableData, long dataStart, string? path)
    {
        string[] missing = tensors.Select(tensor => tensor.Name).Where(name => !entries.ContainsKey(name)).ToArray();
        if (missing.Length > 0)
        {
            throw new SafeTensorsException(
                path,
                $"it has no tensor {Quoted(missing)} (it holds {Quoted(entries.Keys.Order(StringComparer.Ordinal))}; pass names to read other prefixes)");
        }

        string[] extra = entries.Keys.Except(tensors.Select(tensor => tensor.Name), StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (extra.Length > 0)
        {
            throw new SafeTensorsException(path, $"it has tensors this network does not: {Quoted(extra)}");
        }

        var dtypes = new DType[tensors.Count];
        for (int t = 0; t < tensors.Count; t++)
        {
            TwinTensor tensor = tensors[t];
            SafeTensorsHeader.Entry entry = entries[tensor.Name];
            dtypes[t] = entry.DType switch
            {
                "F32" => DType.F32,
                "F64" => DType.F64,
                "F16" => DType.F16,
                "BF16" => DType.BF16,
                _ => throw new SafeTensorsException(path, $"tensor '{tensor.Name}' has dtype {entry.DType}; NetGen reads F32, F64, F16 and BF16"),
            };
            if (!entry.Shape.SequenceEqual(tensor.Shape))
            {
                throw new SafeTensorsException(
                    path,
                    $"tensor '{tensor.Name}' has shape {Shape(entry.Shape)} where this network needs {Shape(tensor.Shape)}" +
                    (tensor.Transposed ? " (PyTorch's Linear.weight is [outputs, inputs])"
                        : tensor.Shape.Length == 4 ? " (PyTorch's Conv2d.weight is [filters, channels, kernel, kernel])" : ""));
            }

            long size = (long)tensor.Block.Length * Size(dtypes[t]);
            if (entry.End - entry.Begin != size)
            {
                throw new SafeTensorsException(
                    path,
                    $"tensor '{tensor.Name}' has data_offsets [{entry.Begin}, {entry.End}], which is not the {size} bytes its shape of {entry.DType} needs");
            }

            if (availableData >= 0 && entry.End > availableData)
            {
                throw new SafeTensorsException(
                    path,
                    $"tensor '{tensor.Name}' ends at file byte {dataStart + entry.End}, past the end of the file at {dataStart + availableData}");
            }
        }

        long end = 0;
        foreach (var (name, entry) in entries.OrderBy(pair => pair.Value.Begin).ThenBy(pair => pair.Key, StringComparer.Ordinal))
        {
            if (entry.Begin != end)
            {
                throw new SafeTensorsException(
                    path,
                    entry.Begin < end
                        ? $"tensor '{name}' starts at file byte {dataStart + entry.Begin}, inside the tensor before it, which ends at {dataStart + end}"
                        : $"file bytes {dataStart + end}–{dataStart + entry.Begin - 1} of the data belong to no tensor");
            }

            end = entry.End;
        }

        return (dtypes, end);
    }

    private static int Size(DType dtype) => dtype switch
    {
        DType.F64 => sizeof(double),
        DType.F32 => sizeof(float),
        _ => 2,
    };

    private static float Decode(ReadOnlySpan<byte> bytes, DType dtype, int index) => dtype switch
    {
        DType.F32 => BinaryPrimitives.ReadSingleLittleEndian(bytes[(4 * index)..]),
        DType.F64 => (float)BinaryPrimitives.ReadDoubleLittleEndian(bytes[(8 * index)..]),
        DType.F16 => (float)BinaryPrimitives.ReadHalfLittleEndian(bytes[(2 * index)..]),
        _ => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(bytes[(2 * index)..]) << 16),
    };

    private static int ReadUpTo(Stream stream, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int read = stream.Read(buffer[total..]);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    /// <summary>
    /// Reads <paramref name="count"/> bytes into a buffer that starts at 64 KiB and doubles only as bytes arrive, so a
    /// count that the stream does not back costs at most twice what the stream holds.
    /// </summary>
    private static byte[] ReadBounded(Stream stream, int count, string what, string? path)
    {
        var buffer = new byte[Math.Min(count, FirstChunk)];
        int total = 0;
        while (total < count)
        {
            if (total == buffer.Length)
            {
                Array.Resize(ref buffer, (int)Math.Min(count, 2L * buffer.Length));
            }

            int read = stream.Read(buffer, total, buffer.Length - total);
            if (read == 0)
            {
                throw new SafeTensorsException(path, $"it is truncated: {what} has {total} of its {count} bytes");
            }

            total += read;
        }

        return buffer;
    }

    /// <summary>The first ten names, quoted and joined, and how many more there are.</summary>
    private static string Quoted(IEnumerable<string> names)
    {
        string[] all = names.ToArray();
        string listed = string.Join(", ", all.Take(10).Select(name => $"'{name}'"));
        return all.Length > 10 ? $"{listed} and {all.Length - 10} more" : listed;
    }

    private static string Shape(IEnumerable<long> shape) => $"[{string.Join(", ", shape)}]";
}
