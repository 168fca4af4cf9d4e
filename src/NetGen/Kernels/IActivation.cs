using System;
using System.Numerics;
using System.Runtime.Intrinsics;

namespace NetGen.Kernels;

/// <summary>
/// An activation as a policy type: generated layers pass one of the readonly structs that implement it
/// (<see cref="IdentityActivation"/>, <see cref="ReLUActivation"/>, <see cref="LeakyReLUActivation"/>,
/// <see cref="SigmoidActivation"/>, <see cref="TanhActivation"/>) as a generic argument, so that the JIT compiles each
/// kernel once per activation with the activation inlined into its stores.
/// </summary>
/// <remarks>
/// Sigmoid and Tanh are <em>deferred</em>: the register tiles store z unchanged and the kernel applies the activation
/// afterwards over whole rows with <see cref="VectorMath"/>, since inlined into every tile's stores their temporaries
/// push the tile's accumulators out of registers (docs/design.md). The derivatives take the layer's output a = f(z),
/// so that the forward pass need not keep z.
/// </remarks>
public interface IActivation
{
    /// <summary>True when the tiles store z and <see cref="ApplyAfterTiles"/> applies f over whole rows afterwards.</summary>
    static abstract bool IsDeferred { get; }

    /// <summary>What a tile stores for the weighted sum <paramref name="z"/>: f(z), or z itself when <see cref="IsDeferred"/>.</summary>
    static abstract float ApplyInTile(float z);

    /// <summary><see cref="ApplyInTile(float)"/> in every lane.</summary>
    static abstract Vector<float> ApplyInTile(Vector<float> z);

    /// <summary><see cref="ApplyInTile(float)"/> in every lane of a 16-lane tile.</summary>
    static abstract Vector512<float> ApplyInTile(Vector512<float> z);

    /// <summary>Replaces every z in <paramref name="values"/> with f(z) when <see cref="IsDeferred"/>; otherwise does nothing.</summary>
    static abstract void ApplyAfterTiles(Span<float> values);

    /// <summary><paramref name="gradient"/>·f'(z), with f'(z) taken from the output <paramref name="activation"/> = f(z).</summary>
    static abstract float TimesDerivative(float gradient, float activation);

    /// <summary><see cref="TimesDerivative(float, float)"/> in every lane.</summary>
    static abstract Vector<float> TimesDerivative(Vector<float> gradient, Vector<float> activation);
}
