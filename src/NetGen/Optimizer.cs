using System;

namespace NetGen;

/// <summary>
/// Updates parameters from averaged gradients once per mini-batch. Optimizers keep their state (velocities, moments)
/// in buffers allocated on the first step, so later steps allocate nothing.
/// </summary>
public abstract class Optimizer
{
    /// <summary>Applies one update with the given learning rate (the trainer's schedule decides it).</summary>
    public abstract void Step(Span<float> parameters, ReadOnlySpan<float> gradients, float learningRate);

    /// <summary>Forgets the state built by earlier steps.</summary>
    public abstract void Reset();

    /// <summary>Checks the spans agree and returns the state buffer, (re)allocated when its size changes.</summary>
    private protected static float[] EnsureState(ref float[]? state, Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        if (parameters.Length != gradients.Length)
        {
            throw new ArgumentException(
                $"The optimizer got {gradients.Length} gradients for {parameters.Length} parameters.", nameof(gradients));
        }

        if (state is null || state.Length != parameters.Length)
        {
            state = new float[parameters.Length];
        }

        return state;
    }
}
