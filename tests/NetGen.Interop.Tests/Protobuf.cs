using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace NetGen.Interop.Tests;

/// <summary>
/// A protobuf reader written apart from the library's encoder, enough to read back the fields ONNX Runtime's metadata
/// does not expose (IR version, opset, the nodes' operators).
/// </summary>
internal static class Protobuf
{
    /// <summary>One field: its number and its value, a varint (or fixed32 bits) or the bytes of a length-delimited field.</summary>
    public readonly record struct Field(int Number, ulong Value, byte[] Bytes)
    {
        public string Text => Encoding.UTF8.GetString(Bytes);

        public IReadOnlyList<Field> Message => Read(Bytes);
    }

    /// <summary>The fields of <paramref name="message"/> in order; throws on a wire type ONNX models do not use here.</summary>
    public static IReadOnlyList<Field> Read(ReadOnlySpan<byte> message)
    {
        var fields = new List<Field>();
        int position = 0;
        while (position < message.Length)
        {
            ulong tag = ReadVarint(message, ref position);
            int number = (int)(tag >> 3);
            switch (tag & 7)
            {
                case 0:
                    fields.Add(new Field(number, ReadVarint(message, ref position), []));
                    break;
                case 2:
                    int length = checked((int)ReadVarint(message, ref position));
                    fields.Add(new Field(number, 0, message.Slice(position, length).ToArray()));
                    position += length;
                    break;
                case 5:
                    fields.Add(new Field(number, BitConverter.ToUInt32(message.Slice(position, 4)), []));
                    position += 4;
                    break;
                default:
                    throw new FormatException($"Field {number} has wire type {tag & 7}.");
            }
        }

        return fields;
    }

    /// <summary>The one field numbered <paramref name="number"/>.</summary>
    public static Field One(this IReadOnlyList<Field> fields, int number) => fields.Single(field => field.Number == number);

    /// <summary>Every field numbered <paramref name="number"/>, in order.</summary>
    public static IEnumerable<Field> All(this IReadOnlyList<Field> fields, int number) => fields.Where(field => field.Number == number);

    private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int position)
    {
        ulong value = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte next = data[position++];
            value |= (ulong)(next & 0x7F) << shift;
            if (next < 0x80)
            {
                return value;
            }
        }
    }
}
