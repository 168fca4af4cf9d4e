using System;
using NetGen;

namespace Samples.MnistCnn;

/// <summary>
/// Data augmentation: the training images, each moved by a random whole number of pixels, up to
/// <see cref="MaxShift"/> in each direction (the border it uncovers is blank), drawn afresh by every <see cref="Shift"/>.
/// <see cref="Dataset"/> wraps one buffer that <see cref="Shift"/> refills in place, so the trainer sees new images
/// each epoch when <see cref="Shift"/> runs between epochs.
/// </summary>
internal sealed class ShiftedImages
{
    /// <summary>The largest move, in pixels, along either axis.</summary>
    public const int MaxShift = 2;

    private readonly float[] _originals;
    private readonly float[] _shifted;
    private readonly int _rows;
    private readonly int _columns;
    private SeededRandom _random;

    /// <summary>Copies the images of <paramref name="images"/>, each <paramref name="rows"/> × <paramref name="columns"/>, and shifts them once.</summary>
    public ShiftedImages(Dataset images, int rows, int columns, int seed)
    {
        if (images.InputSize != rows * columns)
        {
            throw new ArgumentException($"Images of {rows} × {columns} pixels need {rows * columns} inputs, not {images.InputSize}.", nameof(images));
        }

        _rows = rows;
        _columns = columns;
        _originals = new float[images.Count * images.InputSize];
        _shifted = new float[_originals.Length];
        var targets = new float[images.Count * images.TargetSize];
        for (int image = 0; image < images.Count; image++)
        {
            images.Input(image).CopyTo(_originals.AsSpan(image * images.InputSize));
            images.Target(image).CopyTo(targets.AsSpan(image * images.TargetSize));
        }

        Dataset = new Dataset(_shifted, images.InputSize, targets, images.TargetSize);
        _random = new SeededRandom(seed);
        Shift();
    }

    /// <summary>The shifted images with their original targets; the same object after every <see cref="Shift"/>.</summary>
    public Dataset Dataset { get; }

    /// <summary>Moves every original image by a fresh random offset in [−MaxShift, MaxShift]² into <see cref="Dataset"/>.</summary>
    public void Shift()
    {
        int pixels = _rows * _columns;
        for (int image = 0; image < Dataset.Count; image++)
        {
            int down = _random.NextInt32(2 * MaxShift + 1) - MaxShift;
            int right = _random.NextInt32(2 * MaxShift + 1) - MaxShift;
            ShiftOne(_originals.AsSpan(image * pixels, pixels), _shifted.AsSpan(image * pixels, pixels), down, right);
        }
    }

    /// <summary>target[row, column] = source[row − down, column − right], zero where that falls outside the image.</summary>
    private void ShiftOne(ReadOnlySpan<float> source, Span<float> target, int down, int right)
    {
        target.Clear();
        int firstColumn = Math.Max(0, right), lastColumn = Math.Min(_columns, _columns + right);
        for (int row = Math.Max(0, down); row < Math.Min(_rows, _rows + down); row++)
        {
            source.Slice((row - down) * _columns + firstColumn - right, lastColumn - firstColumn)
                .CopyTo(target.Slice(row * _columns + firstColumn));
        }
    }
}
