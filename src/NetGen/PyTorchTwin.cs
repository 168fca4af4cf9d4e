using System;
using System.Collections.Generic;
using System.Globalization;

namespace NetGen;

/// <summary>
/// The <c>torch.nn.Sequential</c> that computes what a NetGen network computes, module for module: each Dense layer is a
/// <c>torch.nn.Linear(inputs, outputs)</c> (after a <c>torch.nn.Flatten()</c> when its input is an image), each Conv2D
/// layer a <c>torch.nn.Conv2d(channels, filters, kernel)</c> with <c>stride=</c> and <c>padding=</c> where they are not
/// 1 and 0, each followed by its activation module, none for Identity; pooling layers are <c>torch.nn.MaxPool2d(size)</c>
/// or <c>torch.nn.AvgPool2d(size)</c> with <c>stride=</c> where it is not the size, and dropout is
/// <c>torch.nn.Dropout(p=rate)</c>. Softmax is left out
/// (it only ever ends a CrossEntropy network, and PyTorch's <c>CrossEntropyLoss</c> takes the logits), so the twin of
/// a CrossEntropy network returns logits where NetGen returns probabilities.
/// </summary>
/// <remarks>
/// Sequential numbers every module, so 784-256(ReLU)-128(ReLU)-10(Softmax) is
/// <c>torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))</c>
/// and its <c>state_dict</c> keys are <c>0.weight</c>, <c>0.bias</c>, <c>2.weight</c>, <c>2.bias</c>, <c>4.weight</c>,
/// <c>4.bias</c>. Flatten, pooling and dropout modules take an index too: LeNet-5's parameters sit at <c>0</c>, <c>3</c>,
/// <c>7</c>, <c>9</c> and <c>11</c>. A Conv2d weight is NetGen's block as it is, [filters, channels, kernel, kernel].
/// <see cref="SafeTensors"/> reads and writes the twin's tensors.
/// </remarks>
public static class PyTorchTwin
{
    /// <summary>The twin as Python source: <c>torch.nn.Sequential(</c> its modules joined by <c>", "</c> <c>)</c>.</summary>
    /// <exception cref="NotSupportedException">A layer kind has no twin yet.</exception>
    public static string Describe(IReadOnlyList<LayerInfo> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        var modules = new List<string>();
        foreach (var (module, _) in Modules(layers))
        {
            modules.Add(module);
        }

        return $"torch.nn.Sequential({string.Join(", ", modules)})";
    }

    /// <summary>
    /// The twin's <c>state_dict</c> prefix of each layer with parameters, input side first: its index in the
    /// Sequential (<c>"0"</c>, <c>"2"</c>, <c>"4"</c> for two hidden layers with activations).
    /// </summary>
    /// <exception cref="NotSupportedException">A layer kind has no twin yet.</exception>
    public static IReadOnlyList<string> ParameterPrefixes(IReadOnlyList<LayerInfo> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        var prefixes = new List<string>();
        int index = 0;
        foreach (var (_, hasParameters) in Modules(layers))
        {
            if (hasParameters)
            {
                prefixes.Add(index.ToString(CultureInfo.InvariantCulture));
            }

            index++;
        }

        return prefixes;
    }

    /// <summary>
    /// The twin's tensors, layer by layer in storage order, named <c>{prefix}.{block name}</c> with one prefix per
    /// layer with parameters, in PyTorch's shapes: a Dense weight is <c>[outputs, inputs]</c>, the transpose of NetGen's block.
    /// </summary>
    internal static IReadOnlyList<TwinTensor> Tensors(IReadOnlyList<LayerInfo> layers, IReadOnlyList<string> prefixes)
    {
        var tensors = new List<TwinTensor>();
        int next = 0;
        foreach (LayerInfo layer in layers)
        {
            if (layer.Parameters.Count == 0)
            {
                continue;
            }

            string prefix = prefixes[next++];
            foreach (ParameterBlock block in layer.Parameters)
            {
                bool transposed = layer.Kind == LayerKind.Dense && block.Shape.Count == 2;
                tensors.Add(new TwinTensor($"{prefix}.{block.Name}", block, transposed));
            }
        }

        return tensors;
    }

    /// <summary>The Sequential's modules in order, each with whether it holds parameters.</summary>
    private static IEnumerable<(string Module, bool HasParameters)> Modules(IReadOnlyList<LayerInfo> layers)
    {
        foreach (LayerInfo layer in layers)
        {
            foreach ((string, bool) module in LayerModules(layer))
            {
                yield return module;
            }
        }
    }

    /// <summary>
    /// The modules of one layer, the one place where a kind says what its twin is. A parameterized module comes with
    /// <c>true</c>; its <c>state_dict</c> names are its index in the Sequential and the blocks' names.
    /// </summary>
    private static IEnumerable<(string Module, bool HasParameters)> LayerModules(LayerInfo layer)
    {
        switch (layer.Kind)
        {
            case LayerKind.Dense:
                // NetGen flattens an image input in (C, H, W) order, as torch.flatten(x, 1) does.
                if (layer.FlattensInput)
                {
                    yield return ("torch.nn.Flatten()", false);
                }

                yield return (Invariant($"torch.nn.Linear({layer.InputShape.Length}, {layer.OutputShape.Length})"), true);
                break;
            case LayerKind.Conv2D:
                string stride = layer.Stride != 1 ? Invariant($", stride={layer.Stride}") : "";
                string padding = layer.Padding != 0 ? Invariant($", padding={layer.Padding}") : "";
                yield return (
                    Invariant($"torch.nn.Conv2d({layer.InputShape.Channels}, {layer.OutputShape.Channels}, {layer.KernelSize}{stride}{padding})"),
                    true);
                break;
            case LayerKind.MaxPool2D:
                yield return (Pool("MaxPool2d", layer), false);
                break;
            case LayerKind.AvgPool2D:
                yield return (Pool("AvgPool2d", layer), false);
                break;
            case LayerKind.Dropout:
                yield return (Invariant($"torch.nn.Dropout(p={layer.DropoutRate})"), false);
                break;
            default:
                throw new NotSupportedException($"Layer {layer.Index} is a {layer.Kind} layer, which has no PyTorch twin yet.");
        }

        if (ActivationModule(layer.Activation) is string activation)
        {
            yield return (activation, false);
        }
    }

    /// <summary><c>torch.nn.MaxPool2d(2)</c>; the stride is written only where it differs from the window, PyTorch's default.</summary>
    private static string Pool(string module, LayerInfo layer) =>
        layer.Stride == layer.KernelSize
            ? Invariant($"torch.nn.{module}({layer.KernelSize})")
            : Invariant($"torch.nn.{module}({layer.KernelSize}, stride={layer.Stride})");

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);

    private static string? ActivationModule(Activation activation) => activation switch
    {
        Activation.Identity or Activation.Softmax => null,
        Activation.ReLU => "torch.nn.ReLU()",
        Activation.LeakyReLU => "torch.nn.LeakyReLU(0.01)",
        Activation.Sigmoid => "torch.nn.Sigmoid()",
        Activation.Tanh => "torch.nn.Tanh()",
        _ => throw new NotSupportedException($"The activation {activation} has no PyTorch twin yet."),
    };
}
