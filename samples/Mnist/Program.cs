using System;
using System.Globalization;
using System.IO;
using NetGen;
using Samples.Mnist;
using Spectre.Console;

// Trains MnistMlp on the 60,000 MNIST training images (5,000 of them held out for validation), reports the accuracy
// on the 10,000 test images, reloads the saved checkpoint to show it serves inference, and plots the training curves.
if (SampleOptions.Parse(args, out int exitCode) is not { } options)
{
    return exitCode;
}

string folder = MnistFiles.ChooseFolder(options.DataFolder);
if (MnistFiles.Ensure(folder, message => AnsiConsole.MarkupLineInterpolated($"[grey]{message}[/]")) is { } problem)
{
    Console.Error.WriteLine(problem);
    return 1;
}

Dataset trainAll, test;
try
{
    trainAll = IdxReader.ReadClassification(MnistFiles.Find(folder, MnistFiles.TrainImages)!, MnistFiles.Find(folder, MnistFiles.TrainLabels)!, 10);
    test = IdxReader.ReadClassification(MnistFiles.Find(folder, MnistFiles.TestImages)!, MnistFiles.Find(folder, MnistFiles.TestLabels)!, 10);
}
catch (InvalidDataException error)
{
    Console.Error.WriteLine($"The MNIST files in {folder} are damaged: {error.Message}\nDelete them to fetch them again.");
    return 1;
}

var (train, validation) = trainAll.Split(5_000, shuffleSeed: options.Seed);
AnsiConsole.MarkupLineInterpolated($"[bold]{MnistMlp.Architecture}[/], {MnistMlp.ParameterCount:N0} parameters");
AnsiConsole.MarkupLineInterpolated($"{train.Count:N0} training, {validation.Count:N0} validation, {test.Count:N0} test images from {folder}");

var network = new MnistMlp();
network.InitializeParameters(options.Seed);
var trainer = new Trainer<MnistMlp>(network, new Adam(), new TrainingOptions
{
    Epochs = options.Epochs,
    BatchSize = 64,
    LearningRate = 1e-3f,
    Schedule = LearningRateSchedule.Cosine(options.Epochs),
    // The cosine schedule keeps improving to its last epochs, so no plateau rule: keep the best epoch and restore it.
    EarlyStopping = new EarlyStopping { Metric = StoppingMetric.ValidationAccuracy, Patience = null },
    Seed = options.Seed,
});

var table = new Table().Border(TableBorder.Simple)
    .AddColumns("epoch", "rate", "train loss", "train acc", "val loss", "val acc", "samples/s", "elapsed");
TrainingResult result;
if (AnsiConsole.Profile.Capabilities.Interactive)
{
    result = AnsiConsole.Live(table).Start(context => trainer.Fit(train, validation, new EpochPrinter(table, () => context.Refresh())));
}
else
{
    // Redirected output cannot redraw a table, so each epoch becomes a line of its own.
    result = trainer.Fit(train, validation, new EpochPrinter(table, () => { }));
}
AnsiConsole.MarkupLineInterpolated(
    $"stopped: {result.StopReason} after {result.Epochs.Count} epochs; best validation accuracy in epoch {result.BestEpoch}{(result.RestoredBestParameters ? " (parameters restored)" : "")}");

Evaluation tested = trainer.Evaluate(test);
AnsiConsole.Write(ConfusionTable(Metrics.ConfusionMatrix(network, test)));

string checkpoint = options.CheckpointPath ?? Path.Combine(folder, "mnist-mlp.ngck");
Checkpoint.Save(network, checkpoint);
var reloaded = new MnistMlp();
Checkpoint.Load(reloaded, checkpoint);
Evaluation fromCheckpoint = new Trainer<MnistMlp>(reloaded, new Sgd()).Evaluate(test);
AnsiConsole.MarkupLineInterpolated($"checkpoint {checkpoint}: reloaded network scores {fromCheckpoint.Accuracy:P2} on the test set");
if (fromCheckpoint.Accuracy != tested.Accuracy)
{
    Console.Error.WriteLine("The reloaded checkpoint does not reproduce the trained network.");
    return 1;
}

bool plotted = SavePlot(result, options.PlotPath);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"test accuracy: {tested.Accuracy * 100:F2}%"));
return plotted ? 0 : 1;

// The plot comes after the checkpoint, so that a missing native library or an unwritable file still leaves the
// accuracy printed; the exit code then tells of the failure.
static bool SavePlot(TrainingResult result, string path)
{
    try
    {
        TrainingPlot.Save(result, $"{nameof(MnistMlp)}: {MnistMlp.Architecture}", path);
        AnsiConsole.MarkupLineInterpolated($"training curves: {path}");
        return true;
    }
    catch (Exception error) when (error is IOException or UnauthorizedAccessException or DllNotFoundException or TypeInitializationException)
    {
        Console.Error.WriteLine($"Could not save the training curves to {path}: {error.Message}");
        return false;
    }
}

static Table ConfusionTable(int[,] counts)
{
    var table = new Table().Border(TableBorder.Minimal).Title("confusion matrix (rows: true digit, columns: predicted)");
    table.AddColumn("");
    for (int predicted = 0; predicted < 10; predicted++)
    {
        table.AddColumn(new TableColumn(predicted.ToString(CultureInfo.InvariantCulture)).RightAligned());
    }

    for (int actual = 0; actual < 10; actual++)
    {
        var row = new string[11];
        row[0] = actual.ToString(CultureInfo.InvariantCulture);
        for (int predicted = 0; predicted < 10; predicted++)
        {
            string count = counts[actual, predicted].ToString(CultureInfo.InvariantCulture);
            row[predicted + 1] = actual == predicted ? $"[green]{count}[/]" : counts[actual, predicted] == 0 ? "[grey]0[/]" : count;
        }

        table.AddRow(row);
    }

    return table;
}

/// <summary>Shows each finished epoch: a row in the live table, or a plain line when the output is redirected.</summary>
internal sealed class EpochPrinter(Table table, Action refresh) : IProgress<EpochReport>
{
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
    }
}
