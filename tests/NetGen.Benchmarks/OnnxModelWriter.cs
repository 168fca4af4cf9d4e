using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace NetGen.Benchmarks;

/// <summary>
/// Writes a multilayer perceptron as an ONNX model (Gemm per layer, then Relu/Tanh/Softmax), with the weights of a
/// NetGen network, so that ONNX Runtime computes exactly the function NetGen computes. Encodes the few protobuf
/// messages it needs by hand (onnx.proto field numbers), which avoids a dependency for one small file.
/// </summary>
internal static class OnnxModelWriter
{
    public static byte[] Write(INetwork network, (int Size, string Activation)[] layers)
    {
        ReadOnlySpan<float> parameters = network.Parameters;
        var graph = new ProtoWriter();
        string previous = "input";
        int offset = 0, inputs = network.InputSize;
        for (int l = 0; l < layers.Length; l++)
        {
            int outputs = layers[l].Size;
            string weights = $"W{l + 1}", biases = $"b{l + 1}", gemm = $"z{l + 1}";
            // NetGen's weights are [inputs × outputs], the B that Gemm multiplies without transposing.
            graph.Message(5, Tensor(weights, [inputs, outputs], parameters.Slice(offset, outputs * inputs)));
            graph.Message(5, Tensor(biases, [outputs], parameters.Slice(offset + outputs * inputs, outputs)));
            graph.Message(1, Node("Gemm", [previous, weights, biases], gemm, ("transB", 0)));
            previous = gemm;
            if (layers[l].Activation != "Identity")
            {
                string activated = $"a{l + 1}";
                graph.Message(1, layers[l].Activation == "Softmax"
                    ? Node("Softmax", [previous], activated, ("axis", 1))
                    : Node(layers[l].Activation, [previous], activated));
                previous = activated;
            }

            offset += outputs * inputs + outputs;
            inputs = outputs;
        }

        // The last node's output is renamed "output" by an Identity node, so callers need not know the layer count.
        graph.Message(1, Node("Identity", [previous], "output"));
        graph.String(2, "netgen");
        graph.Message(11, ValueInfo("input", network.InputSize));
        graph.Message(12, ValueInfo("output", network.OutputSize));

        var model = new ProtoWriter();
        model.Int(1, 8);
        model.String(2, "NetGen.Benchmarks");
        var opset = new ProtoWriter();
        opset.String(1, "");
        opset.Int(2, 17);
        model.Message(8, opset);
        model.Message(7, graph);
        return model.ToArray();
    }

    private static ProtoWriter Tensor(string name, long[] dims, ReadOnlySpan<float> values)
    {
        var tensor = new ProtoWriter();
        foreach (long dim in dims)
        {
            tensor.Int(1, dim);
        }

        tensor.Int(2, 1);
        tensor.String(8, name);
        tensor.Bytes(9, MemoryMarshal.AsBytes(values));
        return tensor;
    }

    private static ProtoWriter Node(string op, string[] inputs, string output, params (string Name, long Value)[] attributes)
    {
        var node = new ProtoWriter();
        foreach (string input in inputs)
        {
            node.String(1, input);
        }

        node.String(2, output);
        node.String(3, output + "_" + op);
        node.String(4, op);
        foreach (var (name, value) in attributes)
        {
            var attribute = new ProtoWriter();
            attribute.String(1, name);
            attribute.Int(3, value);
            attribute.Int(20, 2);
            node.Message(5, attribute);
        }

        return node;
    }

    /// <summary>A float tensor of shape [batch, size] with a symbolic batch dimension.</summary>
    private static ProtoWriter ValueInfo(string name, int size)
    {
        var batch = new ProtoWriter();
        batch.String(2, "batch");
        var features = new ProtoWriter();
        features.Int(1, size);
        var shape = new ProtoWriter();
        shape.Message(1, batch);
        shape.Message(1, features);
        var tensorType = new ProtoWriter();
        tensorType.Int(1, 1);
        tensorType.Message(2, shape);
        var type = new ProtoWriter();
        type.Message(1, tensorType);
        var info = new ProtoWriter();
        info.String(1, name);
        info.Message(2, type);
        return info;
    }

    /// <summary>Protobuf wire format: varints (type 0) and length-delimited fields (type 2).</summary>
    private sealed class ProtoWriter
    {
        private readonly MemoryStream _bytes = new();

        public void Int(int field, long value)
        {
            Varint((ulong)(field << 3));
            Varint((ulong)value);
        }

        public void String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

        public void Bytes(int field, ReadOnlySpan<byte> value)
        {
            Varint((ulong)((field << 3) | 2));
            Varint((ulong)value.Length);
            _bytes.Write(value);
        }

        public void Message(int field, ProtoWriter message) => Bytes(field, message.ToArray());

        public byte[] ToArray() => _bytes.ToArray();

        private void Varint(ulong value)
        {
            while (value >= 0x80)
            {
                _bytes.WriteByte((byte)(value | 0x80));
                value >>= 7;
            }

            _bytes.WriteByte((byte)value);
        }
    }
}
