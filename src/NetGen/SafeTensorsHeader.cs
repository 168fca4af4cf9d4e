using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace NetGen;

/// <summary>
/// The header of a safetensors file: a u64 little-endian length N, then N bytes of UTF-8 JSON mapping each tensor's name
/// to <c>{"dtype", "shape", "data_offsets": [begin, end]}</c> (offsets into the data that follows the header), with an
/// optional <c>"__metadata__"</c> map of strings, padded with spaces to a multiple of 8 bytes. Read with
/// <see cref="Utf8JsonReader"/> and written with <see cref="Utf8JsonWriter"/>: no reflection, so trimming and AOT keep it.
/// </summary>
internal static class SafeTensorsHeader
{
    /// <summary>The size of the length that precedes the JSON.</summary>
    public const int LengthSize = 8;

    private const string MetadataKey = "__metadata__";

    /// <summary>One tensor as the header describes it; nothing in it is checked beyond being well-formed.</summary>
    internal sealed record Entry(string DType, long[] Shape, long Begin, long End);

    /// <summary>The length and the padded JSON for <paramref name="tensors"/>, metadata first, as the Python writer orders them.</summary>
    public static byte[] Write(IReadOnlyList<(string Name, Entry Entry)> tensors, IReadOnlyList<(string Key, string Value)> metadata)
    {
        var json = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(json, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteStartObject(MetadataKey);
            foreach (var (key, value) in metadata)
            {
                writer.WriteString(key, value);
            }

            writer.WriteEndObject();
            foreach (var (name, entry) in tensors)
            {
                writer.WriteStartObject(name);
                writer.WriteString("dtype", entry.DType);
                writer.WriteStartArray("shape");
                foreach (long size in entry.Shape)
                {
                    writer.WriteNumberValue(size);
                }

                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(entry.Begin);
                writer.WriteNumberValue(entry.End);
                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        int padded = (json.WrittenCount + 7) / 8 * 8;
        var bytes = new byte[LengthSize + padded];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)padded);
        json.WrittenSpan.CopyTo(bytes.AsSpan(LengthSize));
        bytes.AsSpan(LengthSize + json.WrittenCount).Fill((byte)' ');
        return bytes;
    }

    /// <summary>The tensors <paramref name="json"/> (the header after its length) describes, by name.</summary>
    /// <exception cref="SafeTensorsException">The header is not UTF-8, not JSON, or not a safetensors header.</exception>
    public static Dictionary<string, Entry> Parse(ReadOnlySpan<byte> json, string? path)
    {
        if (!Utf8.IsValid(json))
        {
            throw new SafeTensorsException(path, "its header is not valid UTF-8");
        }

        var tensors = new Dictionary<string, Entry>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new SafeTensorsException(path, $"its header is not a JSON object (byte {LengthSize + reader.TokenStartIndex})");
            }

            bool hasMetadata = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string name = reader.GetString()!;
                reader.Read();
                if (name == MetadataKey ? hasMetadata : tensors.ContainsKey(name))
                {
                    throw new SafeTensorsException(path, $"its header names '{name}' twice");
                }

                if (name == MetadataKey)
                {
                    hasMetadata = true;
                    ReadMetadata(ref reader, path);
                }
                else
                {
                    tensors.Add(name, ReadTensor(ref reader, name, path));
                }
            }

            // Only the padding may follow the object; the reader throws on anything else.
            while (reader.Read())
            {
            }
        }
        catch (JsonException error)
        {
            throw new SafeTensorsException(path, $"its header is not valid JSON: {error.Message}");
        }

        return tensors;
    }

    private static void ReadMetadata(ref Utf8JsonReader reader, string? path)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw NotA(ref reader, path, MetadataKey, "an object of strings");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
            {
                throw NotA(ref reader, path, MetadataKey, "an object of strings");
            }
        }
    }

    private static Entry ReadTensor(ref Utf8JsonReader reader, string name, string? path)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw NotA(ref reader, path, $"tensor '{name}'", "an object");
        }

        string? dtype = null;
        long[]? shape = null, offsets = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string property = reader.GetString()!;
            reader.Read();
            switch (property)
            {
                case "dtype" when reader.TokenType == JsonTokenType.String:
                    dtype = reader.GetString()!;
                    break;
                case "dtype":
                    throw NotA(ref reader, path, $"tensor '{name}': its dtype", "a string");
                case "shape":
                    shape = ReadIntegers(ref reader, path, $"tensor '{name}': its shape");
                    break;
                case "data_offsets":
                    offsets = ReadIntegers(ref reader, path, $"tensor '{name}': its data_offsets");
                    if (offsets.Length != 2)
                    {
                        throw new SafeTensorsException(path, $"tensor '{name}': its data_offsets hold {offsets.Length} numbers, not [begin, end]");
                    }

                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        if (dtype is null || shape is null || offsets is null)
        {
            string missing = dtype is null ? "dtype" : shape is null ? "shape" : "data_offsets";
            throw new SafeTensorsException(path, $"tensor '{name}' has no {missing}");
        }

        return new Entry(dtype, shape, offsets[0], offsets[1]);
    }

    private static long[] ReadIntegers(ref Utf8JsonReader reader, string? path, string what)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw NotA(ref reader, path, what, "an array of integers");
        }

        var values = new List<long>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out long value) || value < 0)
            {
                throw NotA(ref reader, path, what, "an array of non-negative integers");
            }

            values.Add(value);
        }

        return values.ToArray();
    }

    private static SafeTensorsException NotA(ref Utf8JsonReader reader, string? path, string what, string expected)
    {
        string found = reader.TokenType switch
        {
            JsonTokenType.StartObject => "an object",
            JsonTokenType.StartArray => "an array",
            _ => Encoding.UTF8.GetString(reader.ValueSpan),
        };
        return new SafeTensorsException(path, $"{what} is {found} at file byte {LengthSize + reader.TokenStartIndex}, not {expected}");
    }
}
