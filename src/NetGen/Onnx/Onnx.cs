using System;
using System.IO;

namespace NetGen;

/// <summary>
/// Exports a generated network as an ONNX model (opset 17, IR version 8) that ONNX Runtime and other ONNX tools run.
/// </summary>
/// <remarks>
/// <para>
/// The graph takes <c>input</c>, float [N, <see cref="INetwork.InputSize"/>] with a symbolic batch dimension <c>N</c>,
/// or [N, C, H, W] when the first layer reads images (as a PyTorch model takes them), and returns <c>output</c>, float
/// [N, <see cref="INetwork.OutputSize"/>] (or [N, C, H, W] when the last layer writes images): what
/// <see cref="INetwork.ForwardBatch"/> returns for N samples. Each Dense layer is a <c>Gemm</c> whose B and C are the
/// layer's weight and bias initializers (<c>layer0.weight</c> [inputs, outputs], <c>layer0.bias</c> [outputs]), after a
/// <c>Flatten</c> (axis 1) when it reads an image; each Conv2D layer a <c>Conv</c> (<c>kernel_shape</c>, <c>strides</c>,
/// <c>pads</c>) whose W and B are <c>layer0.weight</c> [filters, C, K, K] and <c>layer0.bias</c> [filters]; each is
/// followed by its activation's node: <c>Relu</c>, <c>LeakyRelu</c> (alpha 0.01), <c>Sigmoid</c>, <c>Tanh</c> or
/// <c>Softmax</c> (axis 1), none for Identity. Pooling layers are <c>MaxPool</c> and <c>AveragePool</c>
/// (<c>kernel_shape</c>, <c>strides</c>); dropout, the identity at inference, has no node.
/// The loss is not part of the graph. The model's <c>producer_name</c> is <c>NetGen</c> and its
/// <c>metadata_props</c> hold <see cref="INetwork.Architecture"/> under the key <c>netgen.architecture</c>, as SafeTensors files do.
/// </para>
/// <para>
/// The graph is the evaluation function; a network in <see cref="NetworkMode.Training"/> exports the same model, and
/// <see cref="INetwork.Mode"/> is neither read nor changed. The protobuf messages are encoded by hand rather than with
/// Google.Protobuf, because the runtime library takes no package dependency; the encoder uses no reflection, so the
/// export is trimmable and AOT-compatible.
/// </para>
/// </remarks>
public static class Onnx
{
    /// <summary>Writes <paramref name="network"/>'s model, with its current parameters, to <paramref name="stream"/>.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The network's layers do not chain from its input size to its output size.</exception>
    /// <exception cref="NotSupportedException">A layer kind or activation has no ONNX mapping yet; nothing is written.</exception>
    public static void Save(INetwork network, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Encode(network).WriteTo(stream);
    }

    /// <summary>Writes <paramref name="network"/>'s model, with its current parameters, to the file at <paramref name="path"/>, replacing it.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty, or the network's layers do not chain.</exception>
    /// <exception cref="NotSupportedException">A layer kind or activation has no ONNX mapping yet; no file is created.</exception>
    public static void Save(INetwork network, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ProtoWriter model = Encode(network);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        model.WriteTo(file);
    }

    /// <summary>The whole model in memory, so that an unsupported layer throws before anything is written.</summary>
    private static ProtoWriter Encode(INetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return OnnxWriter.Write(OnnxGraph.FromNetwork(network), network.Parameters, network.Architecture);
    }
}
