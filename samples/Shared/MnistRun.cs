using System;
using System.Globalization;
using System.IO;
using NetGen;
using Spectre.Console;

namespace Samples.Shared;

/// <summary>The MNIST sets, read from <see cref="Folder"/>.</summary>
internal sealed record MnistData(Dataset Training, Dataset Test, string Folder);

/// <summary>The steps every MNIST sample takes around its training: data, reports, checkpoint, pictures, result.</summary>
internal static class MnistRun
{
    /// <summary>
    /// Finds (or fetches) and reads the training and test sets; null, with the problem printed, when they cannot be had.
    /// </summary>
    public static MnistData? Load(string? dataOption)
    {
        string folder = MnistFiles.ChooseFolder(dataOption);
        if (MnistFiles.Ensure(folder, message => AnsiConsole.MarkupLineInterpolated($"[grey]{message}[/]")) is { } problem)
        {
            Console.Error.WriteLine(problem);
            return null;
        }

        try
        {
            return new MnistData(
                IdxReader.ReadClassification(MnistFiles.Find(folder, MnistFiles.TrainImages)!, MnistFiles.Find(folder, MnistFiles.TrainLabels)!, 10),
                IdxReader.ReadClassification(MnistFiles.Find(folder, MnistFiles.TestImages)!, MnistFiles.Find(folder, MnistFiles.TestLabels)!, 10),
                folder);
        }
        catch (InvalidDataException error)
        {
            Console.Error.WriteLine($"The MNIST files in {folder} are damaged: {error.Message}\nDelete them to fetch them again.");
            return null;
        }
    }

    /// <summary>
    /// The recipe the samples train with: Adam at η = 10⁻³ on a cosine schedule over <paramref name="options"/>'
    /// epochs, mini-batches of 64, their seed, and the parameters of the epoch with the best validation accuracy kept.
    /// </summary>
    public static TrainingOptions TrainingOptions(SampleOptions options) => new()
    {
        Epochs = options.Epochs,
        BatchSize = 64,
        LearningRate = 1e-3f,
        Schedule = LearningRateSchedule.Cosine(options.Epochs),
        // The cosine schedule keeps improving to its last epochs, so no plateau rule: keep the best epoch and restore it.
        EarlyStopping = new EarlyStopping { Metric = StoppingMetric.ValidationAccuracy, Patience = null },
        Seed = options.Seed,
    };

    /// <summary>Prints why training stopped and which epoch's parameters the network holds.</summary>
    public static void PrintStop(TrainingResult result) =>
        AnsiConsole.MarkupLineInterpolated(
            $"stopped: {result.StopReason} after {result.Epochs.Count} epochs; best validation accuracy in epoch {result.BestEpoch}{(result.RestoredBestParameters ? " (parameters restored)" : "")}");

    /// <summary>
    /// Saves <paramref name="network"/> to <paramref name="path"/>, loads the file into a fresh network and checks that it
    /// scores <paramref name="tested"/>'s accuracy on <paramref name="test"/>; false, with the problem printed, when not.
    /// </summary>
    public static bool SaveAndReload<TNetwork>(TNetwork network, string path, Dataset test, Evaluation tested)
        where TNetwork : INetwork, new()
    {
        Checkpoint.Save(network, path);
        var reloaded = new TNetwork();
        Checkpoint.Load(reloaded, path);
        Evaluation fromCheckpoint = new Trainer<TNetwork>(reloaded, new Sgd()).Evaluate(test);
        AnsiConsole.MarkupLineInterpolated($"checkpoint {path}: reloaded network scores {fromCheckpoint.Accuracy:P2} on the test set");
        if (fromCheckpoint.Accuracy != tested.Accuracy)
        {
            Console.Error.WriteLine("The reloaded checkpoint does not reproduce the trained network.");
            return false;
        }

        return true;
    }

    /// <summary>
    /// Has <paramref name="draw"/> write a picture to <paramref name="path"/> and prints <c>what: path</c>; false, with
    /// the problem printed, when the file or the native drawing library fails. Pictures come after the checkpoint, so
    /// that such a failure still leaves the accuracy printed; the exit code then tells of it.
    /// </summary>
    public static bool SavePicture(string what, string path, Action<string> draw)
    {
        try
        {
            draw(path);
            AnsiConsole.MarkupLineInterpolated($"{what}: {path}");
            return true;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or DllNotFoundException or TypeInitializationException)
        {
            Console.Error.WriteLine($"Could not save the {what} to {path}: {error.Message}");
            return false;
        }
    }

    /// <summary>Prints the line the samples end with, <c>test accuracy: NN.NN%</c>.</summary>
    public static void PrintAccuracy(Evaluation tested) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"test accuracy: {tested.Accuracy * 100:F2}%"));
}
