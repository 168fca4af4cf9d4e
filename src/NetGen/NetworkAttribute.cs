using System;

namespace NetGen;

/// <summary>
/// Marks a partial class as a network that NetGen compiles to code. The layers follow as
/// <see cref="InputAttribute"/> and then <see cref="DenseAttribute"/>s, in declaration order.
/// </summary>
/// <example>
/// <code>
/// [Network(Loss.BinaryCrossEntropy)]
/// [Input(2)]
/// [Dense(4, Activation.Tanh)]
/// [Dense(1, Activation.Sigmoid)]
/// public partial class XorNet { }
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class NetworkAttribute : Attribute
{
    /// <summary>The default <see cref="UnrollThreshold"/>.</summary>
    public const int DefaultUnrollThreshold = 64;

    /// <summary>Declares a network trained against <paramref name="loss"/>.</summary>
    public NetworkAttribute(Loss loss) => Loss = loss;

    /// <summary>The loss that <c>Backward</c> computes and differentiates.</summary>
    public Loss Loss { get; }

    /// <summary>
    /// A Dense layer with at most this many weights (outputs × inputs) is emitted fully unrolled, one statement per
    /// output with every multiply-add written out; a larger layer becomes constant-bound <c>Vector&lt;float&gt;</c> loops.
    /// 0 turns unrolling off. The default is <see cref="DefaultUnrollThreshold"/>.
    /// </summary>
    public int UnrollThreshold { get; set; } = DefaultUnrollThreshold;
}
