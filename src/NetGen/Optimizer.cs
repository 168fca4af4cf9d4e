using System;

namespace NetGen;

/// <summary>
/// Updates parameters from averaged gradients once per mini-batch. Optimizers keep their state (velocities, moments)
/// in buffers allocated on the first step, so later steps allocate nothing.
/// </summary>
public abstract class Optimizer
{
    /// <summary>Applies one update with the given learning rate (the trainer's schedule decides it).</summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public void Step(Span<float> parameters, ReadOnlySpan<float> gradients, float learningRate)
    {
        CheckLengths(parameters.Length, gradients.Length);
        BeginStep(parameters.Length);
        StepRange(parameters, gradients, 0, learningRate);
    }

    /// <summary>
    /// Starts one update of <paramref name="parameterCount"/> parameters: advances the step count and sizes the state.
    /// <see cref="StepRange"/> then updates the parameters in disjoint ranges, possibly on several threads at once.
    /// </summary>
    public abstract void BeginStep(int parameterCount);

    /// <summary>
    /// Updates the parameters [<paramref name="offset"/>, offset + length) of the step begun by <see cref="BeginStep"/>:
    /// <paramref name="parameters"/> and <paramref name="gradients"/> are that range. Every element is computed by the
    /// same lane-wise operations wherever the range starts, so splitting a step into ranges gives the same bits.
    /// </summary>
    public abstract void StepRange(Span<float> parameters, ReadOnlySpan<float> gradients, int offset, float learningRate);

    /// <summary>Forgets the state built by earlier steps.</summary>
    public abstract void Reset();

    /// <summary>
    /// Returns the state buffer for <paramref name="parameterCount"/> parameters, (re)allocated when its size changes.
    /// Aligned to a cache line like the parameters, so that threads updating neighbouring ranges cut at 64-byte
    /// boundaries never write the same line.
    /// </summary>
    private protected static AlignedBuffer EnsureState(ref AlignedBuffer? state, int parameterCount)
    {
        if (state is null || state.Length != parameterCount)
        {
            state = new AlignedBuffer(parameterCount);
        }

        return state;
    }

    /// <summary>The state of the range being updated; refuses a range outside the begun step or gradients of another length.</summary>
    private protected static Span<float> StateRange(AlignedBuffer? state, int offset, int parameters, int gradients)
    {
        CheckLengths(parameters, gradients);
        if (state is null)
        {
            throw new InvalidOperationException("BeginStep must be called before StepRange.");
        }

        if (offset < 0 || offset > state.Length - parameters)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"The range of {parameters} parameters must lie within the {state.Length} of the step.");
        }

        return state.Slice(offset, parameters);
    }

    /// <summary>Refuses gradients of another length than the parameters.</summary>
    private protected static void CheckLengths(int parameters, int gradients)
    {
        if (parameters != gradients)
        {
            throw new ArgumentException($"The optimizer got {gradients} gradients for {parameters} parameters.", "gradients");
        }
    }
}
