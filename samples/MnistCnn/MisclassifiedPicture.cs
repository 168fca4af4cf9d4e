using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using NetGen;
using Samples.Shared;
using SkiaSharp;

namespace Samples.MnistCnn;

/// <summary>A test image the network gets wrong: its index, its true digit and the network's answer.</summary>
internal readonly record struct Misclassified(int Index, int Actual, int Predicted);

/// <summary>
/// Draws misclassified digits with SkiaSharp (which ScottPlot brings): a grid of 28 × 28 grayscale tiles scaled up,
/// ink dark on white as on paper, each labelled "true 7 → 2".
/// </summary>
internal static class MisclassifiedPicture
{
    /// <summary>The most tiles drawn: <see cref="Columns"/> to a row.</summary>
    public const int MaxTiles = 40;

    private const int Columns = 10;
    private const int Scale = 4;
    private const int Margin = 12;
    private const int LabelHeight = 22;
    private const int TitleHeight = 34;

    /// <summary>The test images whose arg max output is not their target's, in test set order.</summary>
    public static List<Misclassified> Find<TNetwork>(TNetwork network, Dataset test)
        where TNetwork : INetwork
    {
        var wrong = new List<Misclassified>();
        var output = new float[network.OutputSize];
        for (int image = 0; image < test.Count; image++)
        {
            network.Forward(test.Input(image), output);
            int actual = Metrics.ArgMax(test.Target(image)), predicted = Metrics.ArgMax(output);
            if (actual != predicted)
            {
                wrong.Add(new Misclassified(image, actual, predicted));
            }
        }

        return wrong;
    }

    /// <summary>
    /// Writes a PNG of the first <see cref="MaxTiles"/> of <paramref name="wrong"/> (images of <paramref name="test"/>,
    /// <paramref name="side"/> × <paramref name="side"/> pixels in [0, 1]) to <paramref name="path"/>, under <paramref name="title"/>.
    /// </summary>
    public static void Save(IReadOnlyList<Misclassified> wrong, Dataset test, int side, string title, string path)
    {
        int tiles = Math.Min(wrong.Count, MaxTiles);
        int rows = Math.Max(1, (tiles + Columns - 1) / Columns);
        int cellWidth = side * Scale + Margin, cellHeight = side * Scale + LabelHeight + Margin;
        int width = Margin + Columns * cellWidth, height = TitleHeight + Margin + rows * cellHeight;

        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            using var typeface = SKTypeface.FromFamilyName(TrainingPlot.SansSerifFont());
            using var titleFont = new SKFont(typeface, 18) { Embolden = true };
            using var labelFont = new SKFont(typeface, 15);
            using var text = new SKPaint { Color = new SKColor(0x33, 0x33, 0x33), IsAntialias = true };
            using var frame = new SKPaint { Color = new SKColor(0xBB, 0xBB, 0xBB), Style = SKPaintStyle.Stroke, StrokeWidth = 1 };
            using var ink = new SKPaint();
            canvas.DrawText(title, Margin, TitleHeight - 10, SKTextAlign.Left, titleFont, text);
            for (int tile = 0; tile < tiles; tile++)
            {
                (int index, int actual, int predicted) = wrong[tile];
                float left = Margin + tile % Columns * cellWidth, top = TitleHeight + Margin + tile / Columns * cellHeight;
                ReadOnlySpan<float> pixels = test.Input(index);
                for (int row = 0; row < side; row++)
                {
                    for (int column = 0; column < side; column++)
                    {
                        byte gray = (byte)(255 - (int)MathF.Round(255 * Math.Clamp(pixels[row * side + column], 0f, 1f)));
                        ink.Color = new SKColor(gray, gray, gray);
                        canvas.DrawRect(left + column * Scale, top + row * Scale, Scale, Scale, ink);
                    }
                }

                canvas.DrawRect(left - 0.5f, top - 0.5f, side * Scale + 1, side * Scale + 1, frame);
                string label = string.Create(CultureInfo.InvariantCulture, $"true {actual} → {predicted}");
                canvas.DrawText(label, left + side * Scale / 2f, top + side * Scale + LabelHeight - 5, SKTextAlign.Center, labelFont, text);
            }
        }

        using SKData png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        using FileStream file = File.Create(path);
        png.SaveTo(file);
    }
}
