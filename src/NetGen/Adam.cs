using System;
using System.Numerics;
using System.Runtime.InteropServices;

namespace NetGen;

/// <summary>
/// Adam (Kingma and Ba), as PyTorch's <c>torch.optim.Adam</c>, optionally with AdamW's decoupled weight decay
/// (<c>torch.optim.AdamW</c>): p ← p − η·λ·p, then m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g²,
/// p ← p − η·m̂ / (√v̂ + ε) with m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ).
/// </summary>
public sealed class Adam : Optimizer
{
    private AlignedBuffer? _firstMoment;
    private AlignedBuffer? _secondMoment;
    private int _step;

    /// <summary>Creates the optimizer with PyTorch's defaults.</summary>
    /// <param name="beta1">β₁, the decay of the mean of gradients, in [0, 1).</param>
    /// <param name="beta2">β₂, the decay of the mean of squared gradients, in [0, 1).</param>
    /// <param name="epsilon">ε, keeps the step finite where v̂ is 0.</param>
    /// <param name="decoupledWeightDecay">λ of AdamW; 0 gives plain Adam.</param>
    public Adam(float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float decoupledWeightDecay = 0f)
    {
        if (!(beta1 >= 0f && beta1 < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "β₁ must be in [0, 1).");
        }

        if (!(beta2 >= 0f && beta2 < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "β₂ must be in [0, 1).");
        }

        if (!(epsilon > 0f))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "ε must be positive.");
        }

        if (!(decoupledWeightDecay >= 0f))
        {
            throw new ArgumentOutOfRangeException(nameof(decoupledWeightDecay), decoupledWeightDecay, "Weight decay must be zero or positive.");
        }

        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        DecoupledWeightDecay = decoupledWeightDecay;
    }

    /// <summary>β₁.</summary>
    public float Beta1 { get; }

    /// <summary>β₂.</summary>
    public float Beta2 { get; }

    /// <summary>ε.</summary>
    public float Epsilon { get; }

    /// <summary>λ of AdamW's decoupled weight decay.</summary>
    public float DecoupledWeightDecay { get; }

    /// <inheritdoc/>
    public override void BeginStep(int parameterCount)
    {
        EnsureState(ref _firstMoment, parameterCount);
        EnsureState(ref _secondMoment, parameterCount);
        _step++;
    }

    /// <inheritdoc/>
    public override void StepRange(Span<float> parameters, ReadOnlySpan<float> gradients, int offset, float learningRate)
    {
        Span<float> m = StateRange(_firstMoment, offset, parameters.Length, gradients.Length);
        Span<float> v = StateRange(_secondMoment, offset, parameters.Length, gradients.Length);
        float firstCorrection = 1f - MathF.Pow(Beta1, _step);
        float stepSize = learningRate / firstCorrection;
        float secondCorrectionRoot = MathF.Sqrt(1f - MathF.Pow(Beta2, _step));
        float decay = 1f - learningRate * DecoupledWeightDecay;

        // Lane-wise IEEE operations in the scalar order, so the vector body and the tail give the same bits.
        var p = MemoryMarshal.Cast<float, Vector<float>>(parameters);
        var g = MemoryMarshal.Cast<float, Vector<float>>(gradients);
        var mv = MemoryMarshal.Cast<float, Vector<float>>(m);
        var vv = MemoryMarshal.Cast<float, Vector<float>>(v);
        for (int i = 0; i < p.Length; i++)
        {
            mv[i] = new Vector<float>(Beta1) * mv[i] + new Vector<float>(1f - Beta1) * g[i];
            vv[i] = new Vector<float>(Beta2) * vv[i] + new Vector<float>(1f - Beta2) * g[i] * g[i];
            p[i] = p[i] * decay - new Vector<float>(stepSize) * mv[i]
                / (Vector.SquareRoot(vv[i]) / new Vector<float>(secondCorrectionRoot) + new Vector<float>(Epsilon));
        }

        for (int i = p.Length * Vector<float>.Count; i < parameters.Length; i++)
        {
            float gradient = gradients[i];
            m[i] = Beta1 * m[i] + (1f - Beta1) * gradient;
            v[i] = Beta2 * v[i] + (1f - Beta2) * gradient * gradient;
            parameters[i] = parameters[i] * decay - stepSize * m[i] / (MathF.Sqrt(v[i]) / secondCorrectionRoot + Epsilon);
        }
    }

    /// <inheritdoc/>
    public override void Reset()
    {
        _firstMoment = null;
        _secondMoment = null;
        _step = 0;
    }
}
