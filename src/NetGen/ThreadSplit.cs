namespace NetGen;

/// <summary>How <see cref="Trainer{TNetwork}"/> shares a mini-batch between its threads.</summary>
public enum ThreadSplit
{
    /// <summary>
    /// Each thread runs the whole network on its own slice of the samples with its own activations and gradients; the
    /// gradients are then summed in thread order. Few meetings per step, so it suits small networks, but every thread
    /// reads every parameter and the summed gradient and the update cross between cores once per step. The result
    /// repeats bit for bit for a given thread count and matches a single thread up to float summation order. The
    /// default, and the faster split on the machine of docs/performance.md.
    /// </summary>
    Samples,

    /// <summary>
    /// Each thread computes its own share of every layer's outputs for all the samples, and owns those outputs' weights,
    /// gradients and optimizer state; nothing is summed across threads, so the parameters match a single thread bit for
    /// bit whatever the thread count (with <see cref="TrainingOptions.ClipNorm"/>, up to the order in which the norm is
    /// summed): choose it to reproduce a run on a machine with another number of cores. The threads meet after every
    /// layer, and a thread's weights are a column block, interleaved row by row with the others' in memory. On the
    /// two-core machine of docs/performance.md that interleaving costs more cross-core cache traffic than the sample
    /// split's gradient sum, and this split trains MNIST's 784-128-10 network more slowly than <see cref="Samples"/>.
    /// </summary>
    Outputs,
}
