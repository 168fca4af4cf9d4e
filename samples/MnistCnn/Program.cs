using System;
using System.Globalization;
using System.IO;
using NetGen;
using Samples.MnistCnn;
using Samples.Shared;
using Spectre.Console;

// Trains MnistConvNet on the MNIST training images (5,000 held out for validation), shifting every training image by
// up to two pixels afresh each epoch; reports the accuracy on the 10,000 test images, reloads the saved checkpoint,
// plots the training curves and draws the test digits it gets wrong.
const int Side = 28;
var defaults = new SampleDefaults(
    "Trains a convolutional NetGen network on MNIST, prints the test accuracy and saves a checkpoint, a plot of the training curves and a picture of misclassified test digits.",
    Epochs: 8,
    CheckpointName: "mnist-cnn.ngck",
    PlotPath: "mnist-cnn-training.png")
{
    MisclassifiedPath = "mnist-cnn-misclassified.png",
    OffersMinimumAccuracy = true,
};
if (SampleOptions.Parse(args, defaults, out int exitCode) is not { } options)
{
    return exitCode;
}

if (MnistRun.Load(options.DataFolder) is not { } mnist)
{
    return 1;
}

// 5,000 of the 60,000 (a tenth of a smaller set, such as the committed subset CI trains on).
var (unshifted, validation) = mnist.Training.Split(Math.Min(5_000, mnist.Training.Count / 10), shuffleSeed: options.Seed);
var train = new ShiftedImages(unshifted, Side, Side, options.Seed);
Dataset test = mnist.Test;
AnsiConsole.MarkupLineInterpolated($"[bold]{MnistConvNet.Architecture}[/], {MnistConvNet.ParameterCount:N0} parameters");
AnsiConsole.MarkupLineInterpolated(
    $"{unshifted.Count:N0} training images (shifted by up to {ShiftedImages.MaxShift} pixels, anew each epoch), {validation.Count:N0} validation, {test.Count:N0} test images from {mnist.Folder}");

var network = new MnistConvNet();
network.InitializeParameters(options.Seed);
var trainer = new Trainer<MnistConvNet>(network, new Adam(), MnistRun.TrainingOptions(options));

// The trainer reports an epoch before it starts the next, so new shifts drawn then are what the next epoch trains on.
TrainingResult result = EpochPrinter.Fit(trainer, train.Dataset, validation, afterEpoch: report =>
{
    if (report.Epoch < report.TotalEpochs)
    {
        train.Shift();
    }
});
MnistRun.PrintStop(result);

Evaluation tested = trainer.Evaluate(test);
AnsiConsole.Write(ConfusionTable.Create(Metrics.ConfusionMatrix(network, test)));

if (!MnistRun.SaveAndReload(network, options.CheckpointPath ?? Path.Combine(mnist.Folder, defaults.CheckpointName), test, tested))
{
    return 1;
}

var wrong = MisclassifiedPicture.Find(network, test);
string shown = wrong.Count > MisclassifiedPicture.MaxTiles ? $"the first {MisclassifiedPicture.MaxTiles}" : "all";
bool saved = MnistRun.SavePicture(
    "training curves", options.PlotPath, path => TrainingPlot.Save(result, $"{nameof(MnistConvNet)}: {MnistConvNet.Architecture}", path));
saved &= MnistRun.SavePicture("misclassified digits", options.MisclassifiedPath!, path => MisclassifiedPicture.Save(
    wrong, test, Side, $"{nameof(MnistConvNet)}: {wrong.Count:N0} of {test.Count:N0} test digits misclassified ({shown} shown)", path));
MnistRun.PrintAccuracy(tested);
if (tested.Accuracy * 100 < options.MinimumAccuracy)
{
    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"The test accuracy is below --min-accuracy {options.MinimumAccuracy}%."));
    return 3;
}

return saved ? 0 : 1;
