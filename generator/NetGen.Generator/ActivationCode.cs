using System;
using NetGen.Generator.Model;

namespace NetGen.Generator;

/// <summary>
/// Activations as their own concern: each one's scalar expression and derivative (taken from the activation's output,
/// so that the forward pass keeps only a), its runtime kernel type, and words for comments. Layer emitters ask here
/// instead of knowing any activation themselves.
/// </summary>
internal static class ActivationCode
{
    /// <summary>f(z) as an expression; <paramref name="z"/> is any expression.</summary>
    public static string Apply(ActivationKind activation, string z, ElementType element) => activation switch
    {
        ActivationKind.Identity => z,
        ActivationKind.Sigmoid => $"global::NetGen.Activations.Sigmoid({z})",
        ActivationKind.Tanh => $"{element.Math}.Tanh({z})",
        ActivationKind.ReLU => $"{element.Math}.Max({z}, {element.Literal("0")})",
        ActivationKind.LeakyReLU => $"global::NetGen.Activations.LeakyReLU({z})",
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Softmax is emitted as a block over the whole layer."),
    };

    /// <summary>
    /// g·f'(z) as an expression, with f'(z) taken from the activation a = f(z). <paramref name="gradient"/> must be a
    /// primary expression (a name, an element or a parenthesized sum).
    /// </summary>
    public static string TimesDerivative(ActivationKind activation, string gradient, string a, ElementType element) => activation switch
    {
        ActivationKind.Identity => gradient,
        ActivationKind.Sigmoid => $"{gradient} * {a} * ({element.Literal("1")} - {a})",
        ActivationKind.Tanh => $"{gradient} * ({element.Literal("1")} - {a} * {a})",
        ActivationKind.ReLU => $"{a} > {element.Literal("0")} ? {gradient} : {element.Literal("0")}",
        ActivationKind.LeakyReLU => $"{a} > {element.Literal("0")} ? {gradient} : global::NetGen.Activations.LeakySlope * {gradient}",
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Softmax has no elementwise derivative; CrossEntropy fuses it."),
    };

    /// <summary>
    /// The <c>NetGen.Kernels</c> policy type that applies the activation inside the runtime kernels; Softmax has none
    /// (the layer computes its logits with <c>IdentityActivation</c> and normalizes whole rows afterwards).
    /// </summary>
    public static string KernelType(ActivationKind activation) => activation switch
    {
        ActivationKind.Softmax => KernelType(ActivationKind.Identity),
        _ => $"global::NetGen.Kernels.{activation}Activation",
    };

    /// <summary>
    /// The activation's module in the PyTorch twin, or null: Identity has none, and Softmax, which only ever ends a
    /// CrossEntropy network, is left to PyTorch's <c>CrossEntropyLoss</c>, which takes logits.
    /// </summary>
    public static string? PyTorchModule(ActivationKind activation) => activation switch
    {
        ActivationKind.Sigmoid => "torch.nn.Sigmoid()",
        ActivationKind.Tanh => "torch.nn.Tanh()",
        ActivationKind.ReLU => "torch.nn.ReLU()",
        ActivationKind.LeakyReLU => "torch.nn.LeakyReLU(0.01)",
        _ => null,
    };

    /// <summary>The runtime enum value, e.g. <c>global::NetGen.Activation.ReLU</c>.</summary>
    public static string EnumValue(ActivationKind activation) => $"global::NetGen.Activation.{activation}";

    /// <summary>Whether a backward pass has a derivative to apply at all.</summary>
    public static bool HasDerivative(ActivationKind activation) => activation != ActivationKind.Identity;

    /// <summary>The derivative in words, for comments.</summary>
    public static string DescribeDerivative(ActivationKind activation, string a) => activation switch
    {
        ActivationKind.Identity => "1",
        ActivationKind.Sigmoid => $"{a}·(1 − {a})",
        ActivationKind.Tanh => $"1 − {a}²",
        ActivationKind.ReLU => $"1 where {a} > 0, else 0",
        ActivationKind.LeakyReLU => $"1 where {a} > 0, else 0.01",
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, null),
    };

    /// <summary>The function in words, for comments.</summary>
    public static string Describe(ActivationKind activation, string z) => activation switch
    {
        ActivationKind.Identity => z,
        ActivationKind.Sigmoid => $"sigmoid({z})",
        ActivationKind.Tanh => $"tanh({z})",
        ActivationKind.ReLU => $"relu({z})",
        ActivationKind.LeakyReLU => $"leaky_relu({z})",
        ActivationKind.Softmax => $"softmax({z})",
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, null),
    };

    /// <summary>He initialization keeps ReLU-family variance; Xavier suits the symmetric and saturating ones.</summary>
    public static bool UsesHeInitialization(ActivationKind activation) =>
        activation is ActivationKind.ReLU or ActivationKind.LeakyReLU;
}
