using System;
using NetGen.Generator.Model;

namespace NetGen.Generator;

/// <summary>The C# expressions for each activation and its derivative, written in terms of the activation's output.</summary>
internal static class ActivationCode
{
    /// <summary>f(z) as an expression; <paramref name="z"/> is any expression.</summary>
    public static string Apply(ActivationKind activation, string z) => activation switch
    {
        ActivationKind.Identity => z,
        ActivationKind.Sigmoid => $"global::NetGen.Activations.Sigmoid({z})",
        ActivationKind.Tanh => $"global::System.MathF.Tanh({z})",
        ActivationKind.ReLU => $"global::System.MathF.Max({z}, 0f)",
        ActivationKind.LeakyReLU => $"global::NetGen.Activations.LeakyReLU({z})",
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Softmax is emitted as a block over the whole layer."),
    };

    /// <summary>
    /// f applied to every lane of a vector expression <paramref name="z"/>, which may be repeated: the runtime's overloads
    /// take <c>Vector&lt;float&gt;</c> and, for the activations applied as batched tiles are stored, <c>Vector512&lt;float&gt;</c>.
    /// </summary>
    public static string ApplyVector(ActivationKind activation, string z) => activation switch
    {
        ActivationKind.Identity => z,
        ActivationKind.Sigmoid => $"global::NetGen.VectorMath.Sigmoid({z})",
        ActivationKind.Tanh => $"global::NetGen.VectorMath.Tanh({z})",
        ActivationKind.ReLU => $"global::NetGen.Activations.ReLU({z})",
        ActivationKind.LeakyReLU => $"global::NetGen.Activations.LeakyReLU({z})",
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Softmax is emitted as a block over the whole layer."),
    };

    /// <summary>
    /// g·f'(z) as an expression, with f'(z) taken from the activation a = f(z) so that the forward pass need not keep z.
    /// <paramref name="gradient"/> must be a primary expression (a name, an element or a parenthesized sum).
    /// </summary>
    public static string TimesDerivative(ActivationKind activation, string gradient, string a) => activation switch
    {
        ActivationKind.Identity => gradient,
        ActivationKind.Sigmoid => $"{gradient} * {a} * (1f - {a})",
        ActivationKind.Tanh => $"{gradient} * (1f - {a} * {a})",
        ActivationKind.ReLU => $"{a} > 0f ? {gradient} : 0f",
        ActivationKind.LeakyReLU => $"{a} > 0f ? {gradient} : global::NetGen.Activations.LeakySlope * {gradient}",
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Softmax has no elementwise derivative; CrossEntropy fuses it."),
    };

    /// <summary>
    /// g·f'(z) over the lanes of a <paramref name="vector"/>, from the activation a = f(z); <paramref name="gradient"/> and
    /// <paramref name="a"/> must be names, since each may appear twice.
    /// </summary>
    public static string TimesDerivativeVector(ActivationKind activation, string gradient, string a, TileVector vector) => activation switch
    {
        ActivationKind.Identity => gradient,
        ActivationKind.Sigmoid => $"{gradient} * {a} * ({vector.One} - {a})",
        ActivationKind.Tanh => $"{gradient} * ({vector.One} - {a} * {a})",
        ActivationKind.ReLU => $"{vector.Operations}.ConditionalSelect({vector.Operations}.GreaterThan({a}, {vector.Zero}), {gradient}, {vector.Zero})",
        ActivationKind.LeakyReLU => $"{vector.Operations}.ConditionalSelect({vector.Operations}.GreaterThan({a}, {vector.Zero}), {gradient}, {gradient} * global::NetGen.Activations.LeakySlope)",
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Softmax has no elementwise derivative; CrossEntropy fuses it."),
    };

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

    /// <summary>
    /// The <c>NetGen.VectorMath</c> method that applies the activation to a whole layer in place, for the activations whose
    /// scalar form is an expensive library call; null for those cheaper written inline.
    /// </summary>
    public static string? VectorizedCall(ActivationKind activation) => activation switch
    {
        ActivationKind.Sigmoid => "global::NetGen.VectorMath.Sigmoid",
        ActivationKind.Tanh => "global::NetGen.VectorMath.Tanh",
        _ => null,
    };

    /// <summary>He initialization keeps ReLU-family variance; Xavier suits the symmetric and saturating ones.</summary>
    public static bool UsesHeInitialization(ActivationKind activation) =>
        activation is ActivationKind.ReLU or ActivationKind.LeakyReLU;
}
