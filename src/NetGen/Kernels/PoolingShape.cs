using System;
using System.Diagnostics.CodeAnalysis;

namespace NetGen.Kernels;

/// <summary>
/// The geometry of a square 2-D pooling window without padding (PyTorch's <c>MaxPool2d</c> / <c>AvgPool2d</c> with
/// equal size and stride on both axes): activations are (C, H, W) row-major per sample, and the pooling keeps the
/// channels. Checked once when built, so that the kernels need only compare span lengths.
/// </summary>
public readonly struct PoolingShape
{
    /// <summary>Checks and records a pooling layer's sizes.</summary>
    /// <param name="channels">C, the channels of each sample, in and out.</param>
    /// <param name="inputHeight">H, the rows of each input channel.</param>
    /// <param name="inputWidth">W, the columns of each input channel.</param>
    /// <param name="size">The side of the square window.</param>
    /// <param name="stride">The step between windows on both axes.</param>
    /// <exception cref="ArgumentOutOfRangeException">
    /// A size or the stride is not positive, the window is larger than the input, the stride does not divide H − size or
    /// W − size (windows would hang off the edge), or a sample would hold more than <see cref="int.MaxValue"/> floats.
    /// </exception>
    public PoolingShape(int channels, int inputHeight, int inputWidth, int size, int stride)
    {
        Positive(channels, nameof(channels));
        Positive(inputHeight, nameof(inputHeight));
        Positive(inputWidth, nameof(inputWidth));
        Positive(size, nameof(size));
        Positive(stride, nameof(stride));
        if (size > inputHeight || size > inputWidth)
        {
            Throw(nameof(size), size, $"a window no larger than the input, {inputHeight} × {inputWidth}");
        }

        if ((inputHeight - size) % stride != 0 || (inputWidth - size) % stride != 0)
        {
            Throw(nameof(stride), stride, $"a stride that divides H − size = {inputHeight - size} and W − size = {inputWidth - size}");
        }

        long inputLength = (long)channels * inputHeight * inputWidth;
        if (inputLength > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(channels), $"Expected at most {int.MaxValue} floats per sample, but the shape needs {inputLength}.");
        }

        Channels = channels;
        InputHeight = inputHeight;
        InputWidth = inputWidth;
        Size = size;
        Stride = stride;
        OutputHeight = (inputHeight - size) / stride + 1;
        OutputWidth = (inputWidth - size) / stride + 1;
    }

    /// <summary>C, the channels of each sample, in and out.</summary>
    public int Channels { get; }

    /// <summary>H, the rows of each input channel.</summary>
    public int InputHeight { get; }

    /// <summary>W, the columns of each input channel.</summary>
    public int InputWidth { get; }

    /// <summary>The side of the square window.</summary>
    public int Size { get; }

    /// <summary>The step between windows on both axes.</summary>
    public int Stride { get; }

    /// <summary>(H − size) / stride + 1.</summary>
    public int OutputHeight { get; }

    /// <summary>(W − size) / stride + 1.</summary>
    public int OutputWidth { get; }

    /// <summary>H·W, the floats of one input channel.</summary>
    public int InputPlane => InputHeight * InputWidth;

    /// <summary>The floats of one output channel.</summary>
    public int OutputPlane => OutputHeight * OutputWidth;

    /// <summary>C·H·W, the floats of one input sample.</summary>
    public int InputLength => Channels * InputPlane;

    /// <summary>C × <see cref="OutputPlane"/>, the floats of one output sample.</summary>
    public int OutputLength => Channels * OutputPlane;

    private static void Positive(int value, string name)
    {
        if (value <= 0)
        {
            Throw(name, value, "a positive size");
        }
    }

    [DoesNotReturn]
    private static void Throw(string name, int value, string expected) =>
        throw new ArgumentOutOfRangeException(name, value, $"Expected {expected}, but '{name}' is {value}.");
}
