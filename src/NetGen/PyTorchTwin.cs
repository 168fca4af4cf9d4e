using System;
using System.Collections.Generic;
using System.Globalization;

namespace NetGen;

/// <summary>
/// The <c>torch.nn.Sequential</c> that computes what a NetGen network computes, module for module: each Dense layer is a
/// <c>torch.nn.Linear(inputs, outputs)</c> followed by its activation module, none for Identity. Softmax is left out
/// (it only ever ends a CrossEntropy network, and PyTorch's <c>CrossEntropyLoss</c> takes the logits), so the twin of
/// a CrossEntropy network returns logits where NetGen returns probabilities.
/// </summary>
/// <remarks>
/// Sequential numbers every module, so 784-256(ReLU)-128(ReLU)-10(Softmax) is
/// <c>torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))</c>
/// and its <c>state_dict</c> keys are <c>0.weight</c>, <c>0.bias</c>, <c>2.weight</c>, <c>2.bias</c>, <c>4.weight</c>,
/// <c>4.bias</c>. <see cref="SafeTensors"/> reads and writes the twin's tensors.
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
            yield return (Module(layer), layer.Parameters.Count > 0);
            if (ActivationModule(layer.Activation) is string activation)
            {
                yield return (activation, false);
            }
        }
    }

    private static string Module(LayerInfo layer) => layer.Kind switch
    {
        LayerKind.Dense => string.Create(
            CultureInfo.InvariantCulture,
            $"torch.nn.Linear({layer.InputShape.Length}, {layer.OutputShape.Length})"),
        _ => throw new NotSupportedException($"Layer {layer.Index} is a {layer.Kind} layer, which has no PyTorch twin yet."),
    };

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
