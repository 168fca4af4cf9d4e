using System;
using System.Diagnostics.CodeAnalysis;

namespace NetGen.Kernels;

/// <summary>
/// The geometry of a square-kernel 2-D convolution (PyTorch's <c>Conv2d</c> with equal kernel, stride and padding on
/// both axes): activations are (C, H, W) row-major per sample, weights [F, C, K, K] filter-major as
/// <c>Conv2d.weight</c>, then biases [F]. Checked once when built, so that the kernels need only compare span lengths.
/// </summary>
public readonly struct ConvolutionShape
{
    /// <summary>Checks and records a convolution's sizes.</summary>
    /// <param name="inputChannels">C, the channels of each input sample.</param>
    /// <param name="inputHeight">H, the rows of each input channel.</param>
    /// <param name="inputWidth">W, the columns of each input channel.</param>
    /// <param name="filters">F, the output channels.</param>
    /// <param name="kernelSize">K, the side of each square filter.</param>
    /// <param name="stride">S, the step between windows on both axes.</param>
    /// <param name="padding">P, the zeros added on every side.</param>
    /// <exception cref="ArgumentOutOfRangeException">
    /// A size, the kernel or the stride is not positive, the padding is negative, the kernel is larger than the padded
    /// input, the stride does not divide H + 2P − K or W + 2P − K (windows would hang off the edge), or a buffer the shape
    /// describes would hold more than <see cref="int.MaxValue"/> floats.
    /// </exception>
    public ConvolutionShape(int inputChannels, int inputHeight, int inputWidth, int filters, int kernelSize, int stride, int padding)
    {
        Positive(inputChannels, nameof(inputChannels));
        Positive(inputHeight, nameof(inputHeight));
        Positive(inputWidth, nameof(inputWidth));
        Positive(filters, nameof(filters));
        Positive(kernelSize, nameof(kernelSize));
        Positive(stride, nameof(stride));
        if (padding < 0)
        {
            Throw(nameof(padding), padding, "a padding of 0 or more");
        }

        long paddedHeight = inputHeight + 2L * padding, paddedWidth = inputWidth + 2L * padding;
        if (kernelSize > paddedHeight || kernelSize > paddedWidth)
        {
            Throw(nameof(kernelSize), kernelSize, $"a kernel no larger than the padded input, {paddedHeight} × {paddedWidth}");
        }

        if ((paddedHeight - kernelSize) % stride != 0 || (paddedWidth - kernelSize) % stride != 0)
        {
            Throw(nameof(stride), stride, $"a stride that divides H + 2P − K = {paddedHeight - kernelSize} and W + 2P − K = {paddedWidth - kernelSize}");
        }

        InputChannels = inputChannels;
        InputHeight = inputHeight;
        InputWidth = inputWidth;
        Filters = filters;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        OutputHeight = (int)((paddedHeight - kernelSize) / stride + 1);
        OutputWidth = (int)((paddedWidth - kernelSize) / stride + 1);

        // Every product a kernel computes an offset from is checked here once, in 64 bits.
        long inputPlane = (long)inputHeight * inputWidth, outputPlane = (long)OutputHeight * OutputWidth;
        long patch = (long)inputChannels * kernelSize * kernelSize;
        FitsInt(inputPlane * inputChannels, nameof(inputChannels), "input floats per sample");
        FitsInt(outputPlane * filters, nameof(filters), "output floats per sample");
        FitsInt(patch * filters, nameof(filters), "weights");
        FitsInt(patch * outputPlane, nameof(kernelSize), "scratch floats");
        ScratchLength = (int)(patch * outputPlane);
    }

    /// <summary>C, the channels of each input sample.</summary>
    public int InputChannels { get; }

    /// <summary>H, the rows of each input channel.</summary>
    public int InputHeight { get; }

    /// <summary>W, the columns of each input channel.</summary>
    public int InputWidth { get; }

    /// <summary>F, the filters, each one output channel.</summary>
    public int Filters { get; }

    /// <summary>K, the side of each square filter.</summary>
    public int KernelSize { get; }

    /// <summary>S, the step between windows on both axes.</summary>
    public int Stride { get; }

    /// <summary>P, the zeros added on every side of each input channel.</summary>
    public int Padding { get; }

    /// <summary>(H + 2P − K) / S + 1.</summary>
    public int OutputHeight { get; }

    /// <summary>(W + 2P − K) / S + 1.</summary>
    public int OutputWidth { get; }

    /// <summary>H·W, the floats of one input channel.</summary>
    public int InputPlane => InputHeight * InputWidth;

    /// <summary>The floats of one output channel.</summary>
    public int OutputPlane => OutputHeight * OutputWidth;

    /// <summary>C·H·W, the floats of one input sample.</summary>
    public int InputLength => InputChannels * InputPlane;

    /// <summary>F × <see cref="OutputPlane"/>, the floats of one output sample.</summary>
    public int OutputLength => Filters * OutputPlane;

    /// <summary>C·K·K, the inputs one output sees: a row of one filter's weights, a column of the im2col matrix.</summary>
    public int PatchLength => InputChannels * KernelSize * KernelSize;

    /// <summary>F·C·K·K, the weights; the F biases follow them in a layer's parameters.</summary>
    public int WeightCount => Filters * PatchLength;

    /// <summary>
    /// The floats of scratch every <see cref="ConvolutionKernels"/> call needs, whatever the batch size:
    /// <see cref="PatchLength"/> × <see cref="OutputPlane"/>, one sample's im2col matrix.
    /// </summary>
    public int ScratchLength { get; }

    private static void Positive(int value, string name)
    {
        if (value <= 0)
        {
            Throw(name, value, "a positive size");
        }
    }

    private static void FitsInt(long needed, string name, string what)
    {
        if (needed > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(name, $"Expected at most {int.MaxValue} {what}, but the shape needs {needed}.");
        }
    }

    [DoesNotReturn]
    private static void Throw(string name, long value, string expected) =>
        throw new ArgumentOutOfRangeException(name, value, $"Expected {expected}, but '{name}' is {value}.");
}
