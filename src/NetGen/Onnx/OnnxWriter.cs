using System;

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
    private const long IntAttribute = 2; // AttributeProto.AttributeType.INT
    private const long FloatAttribute = 1; // AttributeProto.AttributeType.FLOAT

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

        writer.Message(GraphProto.Input, BatchOfVectors(OnnxGraph.InputName, graph.InputSize));
        writer.Message(GraphProto.Output, BatchOfVectors(OnnxGraph.OutputName, graph.OutputSize));
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
            if (attribute.IsFloat)
            {
                attributeWriter.Float(AttributeProto.F, attribute.FloatValue);
                attributeWriter.Int(AttributeProto.Type, FloatAttribute);
            }
            else
            {
                attributeWriter.Int(AttributeProto.I, attribute.IntValue);
                attributeWriter.Int(AttributeProto.Type, IntAttribute);
            }

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

    /// <summary>A graph input or output: float [N, <paramref name="features"/>], N symbolic.</summary>
    private static ProtoWriter BatchOfVectors(string name, int features)
    {
        var batch = new ProtoWriter();
        batch.String(Dimension.DimParam, OnnxGraph.BatchDimension);
        var width = new ProtoWriter();
        width.Int(Dimension.DimValue, features);
        var shape = new ProtoWriter();
        shape.Message(TensorShapeProto.Dim, batch);
        shape.Message(TensorShapeProto.Dim, width);
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
        public const int Name = 1, F = 2, I = 3, Type = 20;
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
