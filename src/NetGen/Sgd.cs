using System;
using System.Numerics;
using System.Runtime.InteropServices;

namespace NetGen;

/// <summary>
/// Stochastic gradient descent with optional momentum, as PyTorch's <c>torch.optim.SGD</c>:
/// v ← μ·v + g, then p ← p − η·v, or with Nesterov p ← p − η·(g + μ·v).
/// </summary>
public sealed class Sgd : Optimizer
{
    private AlignedBuffer? _velocity;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="momentum">μ in [0, 1); 0 is plain SGD.</param>
    /// <param name="nesterov">Uses Nesterov's look-ahead form; needs a momentum above zero.</param>
    public Sgd(float momentum = 0f, bool nesterov = false)
    {
        if (!(momentum >= 0f && momentum < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Momentum must be in [0, 1).");
        }

        if (nesterov && momentum == 0f)
        {
            throw new ArgumentException("Nesterov momentum needs a momentum above zero.", nameof(nesterov));
        }

        Momentum = momentum;
        Nesterov = nesterov;
    }

    /// <summary>μ.</summary>
    public float Momentum { get; }

    /// <summary>Whether the update uses Nesterov's look-ahead.</summary>
    public bool Nesterov { get; }

    /// <inheritdoc/>
    public override void BeginStep(int parameterCount)
    {
        if (Momentum != 0f)
        {
            EnsureState(ref _velocity, parameterCount);
        }
    }

    /// <inheritdoc/>
    public override void StepRange(Span<float> parameters, ReadOnlySpan<float> gradients, int offset, float learningRate)
    {
        if (Momentum == 0f)
        {
            CheckLengths(parameters.Length, gradients.Length);
            SpanMath.AddScaled(parameters, gradients, -learningRate);
            return;
        }

        Span<float> velocity = StateRange(_velocity, offset, parameters.Length, gradients.Length);
        float momentum = Momentum;

        // Lane-wise IEEE operations in the scalar order, so the vector body and the tail give the same bits.
        var p = MemoryMarshal.Cast<float, Vector<float>>(parameters);
        var g = MemoryMarshal.Cast<float, Vector<float>>(gradients);
        var vv = MemoryMarshal.Cast<float, Vector<float>>(velocity);
        var mu = new Vector<float>(momentum);
        var rate = new Vector<float>(learningRate);
        for (int i = 0; i < p.Length; i++)
        {
            Vector<float> v = mu * vv[i] + g[i];
            vv[i] = v;
            p[i] -= rate * (Nesterov ? g[i] + mu * v : v);
        }

        for (int i = p.Length * Vector<float>.Count; i < parameters.Length; i++)
        {
            float v = momentum * velocity[i] + gradients[i];
            velocity[i] = v;
            parameters[i] -= learningRate * (Nesterov ? gradients[i] + momentum * v : v);
        }
    }

    /// <inheritdoc/>
    public override void Reset() => _velocity = null;
}
