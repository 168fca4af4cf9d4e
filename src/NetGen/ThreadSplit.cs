namespace NetGen;

/// <summary>How <see cref="Trainer{TNetwork}"/> shares a mini-batch between its threads.</summary>
public enum ThreadSplit
{
    /// <summary>
    /// Each thread runs the whole network on its own slice of the samples with its own activations and gradients; the
    /// gradients are then summed in thread order. Few meetings per step, so it suits small networks, but every thread
    /// reads every parameter and the summed gradient and the update cross between cores once per step. The result
    /// repeats bit for bit for a given thread count and matches a single thread up to float summation order.
    /// </summary>
    Samples,

    /// <summary>
    /// Each thread computes its own share of every layer's outputs for all the samples, and owns those outputs' weights,
    /// gradients and optimizer state: only activations and δ cross between cores, and nothing is summed across threads.
    /// The threads meet after every layer. The parameters match a single thread bit for bit, whatever the thread count.
    /// Suits networks whose layers are wide enough to share (a few dozen outputs or more per thread).
    /// </summary>
    Outputs,
}
