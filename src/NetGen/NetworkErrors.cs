using System;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;

namespace NetGen;

/// <summary>
/// Throw helpers that generated networks call for bad run-time input. Kept out of the generated methods so that
/// their hot paths stay small enough to inline.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class NetworkErrors
{
    /// <summary>Throws the <see cref="ArgumentException"/> for a span of the wrong length.</summary>
    [DoesNotReturn]
    public static void ThrowLengthMismatch(string parameterName, int expectedLength, int actualLength) =>
        throw new ArgumentException(
            $"'{parameterName}' must hold exactly {expectedLength} floats, but it holds {actualLength}.", parameterName);

    /// <summary>Throws the <see cref="InvalidOperationException"/> for a Backward or EvaluateLoss with no Forward before it.</summary>
    [DoesNotReturn]
    public static void ThrowNoForward(string networkName) =>
        throw new InvalidOperationException(
            $"{networkName}.Backward and {networkName}.EvaluateLoss need the activations of a Forward on the same instance; call Forward(input, output) first.");
}
