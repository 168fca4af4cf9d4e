using System.Collections.Generic;
using System.Linq;
using NetGen;
using ScottPlot;
using SkiaSharp;

namespace Samples.Shared;

/// <summary>
/// Draws a run's training curves with ScottPlot: loss per epoch above, accuracy per epoch below, training and
/// validation in each, the epoch whose parameters the network kept marked in both.
/// </summary>
internal static class TrainingPlot
{
    private const int Width = 1000;
    private const int Height = 900;

    // The least space left on either side of the title.
    private const int TitleMargin = 20;

    /// <summary>Writes the PNG to <paramref name="path"/>, titled <paramref name="title"/>.</summary>
    public static void Save(TrainingResult result, string title, string path)
    {
        IReadOnlyList<EpochReport> epochs = result.Epochs;
        double[] epoch = epochs.Select(e => (double)e.Epoch).ToArray();
        bool validated = epochs.Count > 0 && epochs.All(e => e.ValidationLoss is not null && e.ValidationAccuracy is not null);

        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        Plot loss = multiplot.GetPlot(0);
        Plot accuracy = multiplot.GetPlot(1);

        loss.Title(title);
        loss.Axes.Title.Label.Bold = true;
        AddCurves(loss, epoch, epochs.Select(e => (double)e.TrainingLoss), validated ? epochs.Select(e => (double)e.ValidationLoss!.Value) : null);
        loss.YLabel("mean cross-entropy loss");

        AddCurves(accuracy, epoch, epochs.Select(e => 100.0 * e.TrainingAccuracy), validated ? epochs.Select(e => 100.0 * e.ValidationAccuracy!.Value) : null);
        accuracy.YLabel("accuracy (%)");

        string font = SansSerifFont();
        foreach (Plot plot in new[] { loss, accuracy })
        {
            if (result.RestoredBestParameters)
            {
                var best = plot.Add.VerticalLine(result.BestEpoch);
                best.LinePattern = LinePattern.Dashed;
                best.Color = Colors.Gray;
                best.LegendText = $"best validation accuracy, epoch {result.BestEpoch} (restored)";
            }

            plot.Font.Set(font);
            plot.XLabel("epoch");
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
            plot.ShowLegend(plot == loss ? Alignment.UpperRight : Alignment.LowerRight);
        }

        FitTitle(loss.Axes.Title.Label);
        multiplot.SavePng(path, Width, Height);
    }

    /// <summary>
    /// A sans-serif family this system has. ScottPlot's <see cref="Fonts.Sans"/> comes out as DejaVu Serif on Debian
    /// with the fontconfig-free native Skia that ScottPlot brings (SkiaSharp.NativeAssets.Linux.NoDependencies).
    /// </summary>
    public static string SansSerifFont()
    {
        string[] installed = SKFontManager.Default.FontFamilies.ToArray();
        return new[] { "DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial", "Helvetica" }.FirstOrDefault(installed.Contains) ?? Fonts.Sans;
    }

    /// <summary>Shrinks the title's font where a long architecture would otherwise run off the sides.</summary>
    private static void FitTitle(LabelStyle label)
    {
        using Paint paint = Paint.NewDisposablePaint();
        float width = label.Measure(paint).Width;
        if (width > Width - 2 * TitleMargin)
        {
            label.FontSize *= (Width - 2 * TitleMargin) / width;
        }
    }

    private static void AddCurves(Plot plot, double[] epoch, IEnumerable<double> training, IEnumerable<double>? validation)
    {
        var palette = new ScottPlot.Palettes.Category10();
        var trainingLine = plot.Add.Scatter(epoch, training.ToArray(), palette.GetColor(0));
        trainingLine.LegendText = "training (during the epoch)";
        trainingLine.LineWidth = 2;
        if (validation is not null)
        {
            var validationLine = plot.Add.Scatter(epoch, validation.ToArray(), palette.GetColor(1));
            validationLine.LegendText = "validation (after the epoch)";
            validationLine.LineWidth = 2;
        }
    }
}
