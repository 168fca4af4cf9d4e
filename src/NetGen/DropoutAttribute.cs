using System;

namespace NetGen;

/// <summary>
/// Inverted dropout after the previous layer: in <see cref="NetworkMode.Training"/> each value is zeroed with
/// probability <see cref="Rate"/> and the kept ones are scaled by 1/(1 − <see cref="Rate"/>); in
/// <see cref="NetworkMode.Evaluation"/> it is the identity. Masks come from a seeded, counter-based generator, so a
/// seeded training run repeats bit for bit. PyTorch's <c>nn.Dropout</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DropoutAttribute : Attribute
{
    /// <summary>Declares dropout of <paramref name="rate"/>, in [0, 1).</summary>
    public DropoutAttribute(float rate) => Rate = rate;

    /// <summary>Declares dropout of <paramref name="rate"/>, in [0, 1), rounded to a float; lets <c>[Dropout(0.25)]</c> be written without a suffix.</summary>
    public DropoutAttribute(double rate) => Rate = (float)rate;

    /// <summary>The probability that a value is zeroed during training.</summary>
    public float Rate { get; }
}
