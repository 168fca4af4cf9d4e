using System;
using System.Collections.Generic;

namespace NetGen;

/// <summary>
/// Encodes an <see cref="OnnxGraph"/> as an ONNX <c>ModelProto</c>, with the field numbers of onnx.proto (ONNX 1.12+,
/// IR version 8). Only the fields NetGen writes are named here.
/// </summary>
internal static class OnnxWriter
{
    /// <summary>ONNX IR version 8, the one that goes with opset 17.</summary>
    public const long IrVersion = 8;

    /// <summary>The default domain's opset: every operator used here has had its current form since opset 13.</summary>
    public const long OpsetVersion = 17;

    /// <summary>The <c>metadata_props</c> key under which <see cref="INetwork.Architecture"/> is stored.</summary>
    public const string ArchitectureKey = "netgen.architecture";

    private const long FloatType = 1; // TensorProto.DataType.FLOAT

    /// <summary>The model: IR version, producer, opset, the graph with <paramref name="parameters"/> as its initializers, metadata.</summary>
    public static ProtoWriter Write(OnnxGraph graph, ReadOnlySpan<float> parameters, string architecture)
    {
        var model = new ProtoWriter();
        model.Int(ModelProto.IrVersion, IrVersion);
        model.String(ModelProto.ProducerName, "NetGen");
        var opset = new ProtoWriter();
        opset.String(OperatorSetIdProto.Domain, "");
        opset.Int(OperatorSetIdProto.Version, OpsetVersion);
        model.Message(ModelProto.OpsetImport, opset);
        model.Message(ModelProto.Graph, Graph(graph, parameters));
        var entry = new ProtoWriter();
        entry.String(StringStringEntryProto.Key, ArchitectureKey);
        entry.String(StringStringEntryProto.Value, architecture);
        model.Message(ModelProto.MetadataProps, entry);
        return model;
    }

    private static ProtoWriter Graph(OnnxGraph graph, ReadOnlySpan<float> parameters)
    {
        var writer = new ProtoWriter();
        foreach (OnnxNode node in graph.Nodes)
        {
            writer.Message(GraphProto.Node, Node(node));
        }

        writer.String(GraphProto.Name, "netgen");
        foreach (OnnxInitializer initializer in graph.Initializers)
        {
            writer.Message(GraphProto.Initializer, Tensor(initializer, parameters));
        }

        writer.Message(GraphProto.Input, Batch(OnnxGraph.InputName, graph.InputDimensions));
        writer.Message(GraphProto.Output, Batch(OnnxGraph.OutputName, graph.OutputDimensions));
        return writer;
    }

    private static ProtoWriter Node(OnnxNode node)
    {
        var writer = new ProtoWriter();
        foreach (string input in node.Inputs)
        {
            writer.String(NodeProto.Input, input);
        }

        writer.String(NodeProto.Output, node.Output);
        writer.String(NodeProto.Name, node.Name);
        writer.String(NodeProto.OpType, node.OpType);
        foreach (OnnxAttribute attribute in node.Attributes)
        {
            var attributeWriter = new ProtoWriter();
            attributeWriter.String(AttributeProto.Name, attribute.Name);
            switch (attribute.Type)
            {
                case OnnxAttributeType.Float:
                    attributeWriter.Float(AttributeProto.F, attribute.FloatValue);
                    break;
                case OnnxAttributeType.Int:
                    attributeWriter.Int(AttributeProto.I, attribute.IntValue);
                    break;
                default:
                    // Repeated int64, unpacked as onnx.proto (proto2) declares it.
                    foreach (long value in attribute.IntValues)
                    {
                        attributeWriter.Int(AttributeProto.Ints, value);
                    }

                    break;
            }

            attributeWriter.Int(AttributeProto.Type, (long)attribute.Type);
            writer.Message(NodeProto.Attribute, attributeWriter);
        }

        return writer;
    }

    /// <summary>A float tensor in the block's shape, its values as little-endian <c>raw_data</c>.</summary>
    private static ProtoWriter Tensor(OnnxInitializer initializer, ReadOnlySpan<float> parameters)
    {
        var writer = new ProtoWriter();
        foreach (int dimension in initializer.Block.Shape)
        {
            writer.Int(TensorProto.Dims, dimension);
        }

        writer.Int(TensorProto.DataType, FloatType);
        writer.String(TensorProto.Name, initializer.Name);
        writer.Floats(TensorProto.RawData, parameters.Slice(initializer.Block.Offset, initializer.Block.Length));
        return writer;
    }

    /// <summary>A graph input or output: float [N, <paramref name="dimensions"/>], N symbolic.</summary>
    private static ProtoWriter Batch(string name, IReadOnlyList<int> dimensions)
    {
        var batch = new ProtoWriter();
        batch.String(Dimension.DimParam, OnnxGraph.BatchDimension);
        var shape = new ProtoWriter();
        shape.Message(TensorShapeProto.Dim, batch);
        foreach (int size in dimensions)
        {
            var dimension = new ProtoWriter();
            dimension.Int(Dimension.DimValue, size);
            shape.Message(TensorShapeProto.Dim, dimension);
        }

        var tensorType = new ProtoWriter();
        tensorType.Int(TypeProtoTensor.ElemType, FloatType);
        tensorType.Message(TypeProtoTensor.Shape, shape);
        var type = new ProtoWriter();
        type.Message(TypeProto.TensorType, tensorType);
        var info = new ProtoWriter();
        info.String(ValueInfoProto.Name, name);
        info.Message(ValueInfoProto.Type, type);
        return info;
    }

    private static class ModelProto
    {
        public const int IrVersion = 1, ProducerName = 2, Graph = 7, OpsetImport = 8, MetadataProps = 14;
    }

    private static class OperatorSetIdProto
    {
        public const int Domain = 1, Version = 2;
    }

    private static class StringStringEntryProto
    {
        public const int Key = 1, Value = 2;
    }

    private static class GraphProto
    {
        public const int Node = 1, Name = 2, Initializer = 5, Input = 11, Output = 12;
    }

    private static class NodeProto
    {
        public const int Input = 1, Output = 2, Name = 3, OpType = 4, Attribute = 5;
    }

    private static class AttributeProto
    {
        public const int Name = 1, F = 2, I = 3, Ints = 8, Type = 20;
    }

    private static class TensorProto
    {
        public const int Dims = 1, DataType = 2, Name = 8, RawData = 9;
    }

    private static class ValueInfoProto
    {
        public const int Name = 1, Type = 2;
    }

    private static class TypeProto
    {
        public const int TensorType = 1;
    }

    private static class TypeProtoTensor
    {
        public const int ElemType = 1, Shape = 2;
    }

    private static class TensorShapeProto
    {
        public const int Dim = 1;
    }

    private static class Dimension
    {
        public const int DimValue = 1, DimParam = 2;
    }
}
