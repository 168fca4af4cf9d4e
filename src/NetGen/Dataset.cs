using System;

namespace NetGen;

/// <summary>
/// Samples held as two flat row-major buffers: inputs [count × inputSize] and targets [count × targetSize].
/// Rows are read as spans, so training touches no per-sample objects.
/// </summary>
public sealed class Dataset
{
    private readonly float[] _inputs;
    private readonly float[] _targets;

    /// <summary>Wraps the buffers (not copied); their lengths must be whole multiples of the row sizes.</summary>
    /// <exception cref="ArgumentException">The buffers do not describe the same number of whole rows.</exception>
    public Dataset(float[] inputs, int inputSize, float[] targets, int targetSize)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(targetSize);
        if (inputs.Length % inputSize != 0)
        {
            throw new ArgumentException($"{inputs.Length} input floats are not a whole number of rows of {inputSize}.", nameof(inputs));
        }

        if (targets.Length % targetSize != 0)
        {
            throw new ArgumentException($"{targets.Length} target floats are not a whole number of rows of {targetSize}.", nameof(targets));
        }

        if (inputs.Length / inputSize != targets.Length / targetSize)
        {
            throw new ArgumentException(
                $"The inputs hold {inputs.Length / inputSize} samples but the targets hold {targets.Length / targetSize}.", nameof(targets));
        }

        _inputs = inputs;
        _targets = targets;
        InputSize = inputSize;
        TargetSize = targetSize;
        Count = inputs.Length / inputSize;
    }

    /// <summary>The number of samples.</summary>
    public int Count { get; }

    /// <summary>The length of each input row.</summary>
    public int InputSize { get; }

    /// <summary>The length of each target row.</summary>
    public int TargetSize { get; }

    /// <summary>Sample <paramref name="index"/>'s input row.</summary>
    public ReadOnlySpan<float> Input(int index) => _inputs.AsSpan(index * InputSize, InputSize);

    /// <summary>Sample <paramref name="index"/>'s target row.</summary>
    public ReadOnlySpan<float> Target(int index) => _targets.AsSpan(index * TargetSize, TargetSize);

    /// <summary>
    /// A dataset whose targets are one-hot rows built from class labels, for Softmax/CrossEntropy networks.
    /// </summary>
    /// <exception cref="ArgumentException">The label count differs from the row count, or a label is outside [0, classCount).</exception>
    public static Dataset FromClassLabels(float[] inputs, int inputSize, ReadOnlySpan<byte> labels, int classCount)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        if (inputs.Length != labels.Length * inputSize)
        {
            throw new ArgumentException(
                $"{labels.Length} labels need {labels.Length * inputSize} input floats, but there are {inputs.Length}.", nameof(labels));
        }

        var targets = new float[labels.Length * classCount];
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] >= classCount)
            {
                throw new ArgumentException($"Label {labels[i]} of sample {i} is not a class in [0, {classCount}).", nameof(labels));
            }

            targets[i * classCount + labels[i]] = 1f;
        }

        return new Dataset(inputs, inputSize, targets, classCount);
    }

    /// <summary>
    /// Splits off the last <paramref name="secondCount"/> samples (after an optional seeded shuffle) into a second
    /// dataset, e.g. a validation set. Both halves are copies.
    /// </summary>
    public (Dataset First, Dataset Second) Split(int secondCount, int? shuffleSeed = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(secondCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(secondCount, Count);
        var order = new int[Count];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        if (shuffleSeed is int seed)
        {
            new SeededRandom(seed).Shuffle(order);
        }

        return (Select(order.AsSpan(0, Count - secondCount)), Select(order.AsSpan(Count - secondCount)));
    }

    /// <summary>A copy holding the samples at <paramref name="indices"/>, in that order.</summary>
    public Dataset Select(ReadOnlySpan<int> indices)
    {
        var inputs = new float[indices.Length * InputSize];
        var targets = new float[indices.Length * TargetSize];
        for (int i = 0; i < indices.Length; i++)
        {
            Input(indices[i]).CopyTo(inputs.AsSpan(i * InputSize));
            Target(indices[i]).CopyTo(targets.AsSpan(i * TargetSize));
        }

        return new Dataset(inputs, InputSize, targets, TargetSize);
    }
}
