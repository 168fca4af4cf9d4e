using System;
using System.Globalization;
using NetGen;
using Spectre.Console;

namespace Samples.Shared;

/// <summary>Shows each finished epoch: a row in the live table, or a plain line when the output is redirected.</summary>
internal sealed class EpochPrinter(Table table, Action refresh, Action<EpochReport>? afterEpoch) : IProgress<EpochReport>
{
    /// <summary>
    /// Runs <paramref name="trainer"/>'s <see cref="Trainer{TNetwork}.Fit"/>, showing every epoch as it ends, and
    /// calls <paramref name="afterEpoch"/> (if any) after showing it, before the next epoch starts.
    /// </summary>
    public static TrainingResult Fit<TNetwork>(
        Trainer<TNetwork> trainer, Dataset training, Dataset validation, Action<EpochReport>? afterEpoch = null)
        where TNetwork : INetwork
    {
        var table = new Table().Border(TableBorder.Simple)
            .AddColumns("epoch", "rate", "train loss", "train acc", "val loss", "val acc", "samples/s", "elapsed");
        if (AnsiConsole.Profile.Capabilities.Interactive)
        {
            return AnsiConsole.Live(table).Start(context =>
                trainer.Fit(training, validation, new EpochPrinter(table, () => context.Refresh(), afterEpoch)));
        }

        // Redirected output cannot redraw a table, so each epoch becomes a line of its own.
        return trainer.Fit(training, validation, new EpochPrinter(table, () => { }, afterEpoch));
    }

    public void Report(EpochReport e)
    {
        string[] cells =
        [
            $"{e.Epoch}/{e.TotalEpochs}",
            e.LearningRate.ToString("0.000000", CultureInfo.InvariantCulture),
            e.TrainingLoss.ToString("F4", CultureInfo.InvariantCulture),
            e.TrainingAccuracy.ToString("P2", CultureInfo.InvariantCulture),
            e.ValidationLoss?.ToString("F4", CultureInfo.InvariantCulture) ?? "-",
            e.ValidationAccuracy?.ToString("P2", CultureInfo.InvariantCulture) ?? "-",
            e.SamplesPerSecond.ToString("N0", CultureInfo.InvariantCulture),
            e.Elapsed.ToString(@"m\:ss", CultureInfo.InvariantCulture),
        ];
        if (AnsiConsole.Profile.Capabilities.Interactive)
        {
            table.AddRow(cells);
            refresh();
        }
        else
        {
            Console.WriteLine(
                $"epoch {cells[0]}  rate {cells[1]}  train loss {cells[2]} acc {cells[3]}  val loss {cells[4]} acc {cells[5]}  {cells[6]} samples/s  {cells[7]}");
        }

        afterEpoch?.Invoke(e);
    }
}
