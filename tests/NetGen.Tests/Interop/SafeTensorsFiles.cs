using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace NetGen.Tests.Interop;

/// <summary>Safetensors files for the tests: saved by NetGen, rewritten by hand, or built independently of NetGen's writer.</summary>
internal static class SafeTensorsFiles
{
    public static byte[] Save(INetwork network, IReadOnlyList<string>? names = null, bool gradients = false)
    {
        using var stream = new MemoryStream();
        SafeTensors.Save(network, stream, names, gradients);
        return stream.ToArray();
    }

    public static int HeaderLength(byte[] file) => checked((int)BinaryPrimitives.ReadUInt64LittleEndian(file));

    /// <summary>The JSON of <paramref name="file"/>'s header, without its padding.</summary>
    public static string Header(byte[] file) => Encoding.UTF8.GetString(file, 8, HeaderLength(file)).TrimEnd(' ');

    public static byte[] Data(byte[] file) => file[(8 + HeaderLength(file))..];

    /// <summary>A file of <paramref name="json"/> (unpadded) and <paramref name="data"/>.</summary>
    public static byte[] Compose(string json, byte[] data) => Compose(Encoding.UTF8.GetBytes(json), data);

    public static byte[] Compose(byte[] json, byte[] data)
    {
        var file = new byte[8 + json.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)json.Length);
        json.CopyTo(file, 8);
        data.CopyTo(file, 8 + json.Length);
        return file;
    }

    /// <summary><paramref name="file"/> with its header JSON edited.</summary>
    public static byte[] EditHeader(byte[] file, Func<string, string> edit) => Compose(edit(Header(file)), Data(file));

    /// <summary>
    /// The twin's state_dict with every tensor in <paramref name="dtype"/>, written here rather than by NetGen: each
    /// layer's weight transposed to [outputs, inputs] by hand, each value encoded by <paramref name="encode"/>.
    /// </summary>
    public static byte[] Build(INetwork network, string dtype, int size, Func<float, byte[]> encode)
    {
        var header = new List<string>();
        var data = new List<byte>();
        IReadOnlyList<string> prefixes = PyTorchTwin.ParameterPrefixes(network.Layers);
        float[] parameters = network.Parameters.ToArray();
        for (int layer = 0; layer < network.Layers.Count; layer++)
        {
            LayerInfo info = network.Layers[layer];
            int inputs = info.InputShape.Length, outputs = info.OutputShape.Length;
            var weight = new List<float>();
            for (int output = 0; output < outputs; output++)
            {
                for (int input = 0; input < inputs; input++)
                {
                    weight.Add(parameters[info.Parameters[0].Offset + input * outputs + output]);
                }
            }

            float[] bias = parameters.AsSpan(info.Parameters[1].Offset, outputs).ToArray();
            Add($"{prefixes[layer]}.weight", $"{outputs},{inputs}", weight);
            Add($"{prefixes[layer]}.bias", $"{outputs}", bias);
        }

        return Compose("{" + string.Join(",", header) + "}", data.ToArray());

        void Add(string name, string shape, IEnumerable<float> values)
        {
            int begin = data.Count;
            foreach (float value in values)
            {
                byte[] bytes = encode(value);
                if (bytes.Length != size)
                {
                    throw new ArgumentException("The encoding does not match the size.", nameof(encode));
                }

                data.AddRange(bytes);
            }

            header.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":[{shape}],\"data_offsets\":[{begin},{data.Count}]}}"));
        }
    }
}
