using System;
using System.Buffers.Binary;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace NetGen;

/// <summary>
/// The protobuf wire format, as much of it as <see cref="Onnx"/> needs: varints (wire type 0), 32-bit floats (wire
/// type 5) and length-delimited fields (wire type 2: strings, bytes and nested messages). A nested message is written
/// into its own writer first, so that its length is known when the parent writes it.
/// </summary>
/// <remarks>
/// Written by hand rather than with Google.Protobuf because the runtime library takes no package dependency, and five
/// field shapes do not need one; it uses no reflection, so it stays trimmable and AOT-compatible.
/// </remarks>
internal sealed class ProtoWriter
{
    private const int Varint = 0;
    private const int LengthDelimited = 2;
    private const int Fixed32 = 5;

    private byte[] _buffer = new byte[256];
    private int _length;

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    /// <summary>An integer field (int32, int64 or enum), as a varint; negative values take ten bytes, as protobuf's.</summary>
    public void Int(int field, long value)
    {
        Tag(field, Varint);
        WriteVarint((ulong)value);
    }

    /// <summary>A <c>float</c> field: four little-endian bytes.</summary>
    public void Float(int field, float value)
    {
        Tag(field, Fixed32);
        BinaryPrimitives.WriteSingleLittleEndian(Reserve(sizeof(float)), value);
    }

    /// <summary>A <c>string</c> field, UTF-8.</summary>
    public void String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    /// <summary>A <c>bytes</c> field.</summary>
    public void Bytes(int field, ReadOnlySpan<byte> value)
    {
        Tag(field, LengthDelimited);
        WriteVarint((ulong)value.Length);
        value.CopyTo(Reserve(value.Length));
    }

    /// <summary>A <c>bytes</c> field holding <paramref name="values"/> little-endian, as ONNX's <c>raw_data</c>.</summary>
    /// <exception cref="PlatformNotSupportedException">The platform is big-endian.</exception>
    public void Floats(int field, ReadOnlySpan<float> values)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("ONNX tensors are written little-endian; this platform is big-endian.");
        }

        Bytes(field, MemoryMarshal.AsBytes(values));
    }

    /// <summary>An embedded message field.</summary>
    public void Message(int field, ProtoWriter message) => Bytes(field, message.WrittenSpan);

    /// <summary>Copies the bytes written so far to <paramref name="stream"/>.</summary>
    public void WriteTo(Stream stream) => stream.Write(WrittenSpan);

    private void Tag(int field, int wireType) => WriteVarint((ulong)(((uint)field << 3) | (uint)wireType));

    private void WriteVarint(ulong value)
    {
        while (value >= 0x80)
        {
            Reserve(1)[0] = (byte)(value | 0x80);
            value >>= 7;
        }

        Reserve(1)[0] = (byte)value;
    }

    /// <summary>Grows the buffer as needed and returns the next <paramref name="count"/> bytes, counted as written.</summary>
    private Span<byte> Reserve(int count)
    {
        if (_buffer.Length - _length < count)
        {
            Array.Resize(ref _buffer, Math.Max(checked(_length + count), _buffer.Length * 2));
        }

        Span<byte> span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }
}
