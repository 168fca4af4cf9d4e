using System.IO;
using NetGen;
using Samples.Mnist;
using Samples.Shared;
using Spectre.Console;

// Trains MnistMlp on the 60,000 MNIST training images (5,000 of them held out for validation), reports the accuracy
// on the 10,000 test images, reloads the saved checkpoint to show it serves inference, and plots the training curves.
var defaults = new SampleDefaults(
    "Trains a 784-256-128-10 NetGen network on MNIST, prints the test accuracy and saves a checkpoint and a plot of the training curves.",
    Epochs: 15,
    CheckpointName: "mnist-mlp.ngck",
    PlotPath: "mnist-training.png");
if (SampleOptions.Parse(args, defaults, out int exitCode) is not { } options)
{
    return exitCode;
}

if (MnistRun.Load(options.DataFolder) is not { } mnist)
{
    return 1;
}

var (train, validation) = mnist.Training.Split(5_000, shuffleSeed: options.Seed);
Dataset test = mnist.Test;
AnsiConsole.MarkupLineInterpolated($"[bold]{MnistMlp.Architecture}[/], {MnistMlp.ParameterCount:N0} parameters");
AnsiConsole.MarkupLineInterpolated($"{train.Count:N0} training, {validation.Count:N0} validation, {test.Count:N0} test images from {mnist.Folder}");

var network = new MnistMlp();
network.InitializeParameters(options.Seed);
var trainer = new Trainer<MnistMlp>(network, new Adam(), MnistRun.TrainingOptions(options));

TrainingResult result = EpochPrinter.Fit(trainer, train, validation);
MnistRun.PrintStop(result);

Evaluation tested = trainer.Evaluate(test);
AnsiConsole.Write(ConfusionTable.Create(Metrics.ConfusionMatrix(network, test)));

if (!MnistRun.SaveAndReload(network, options.CheckpointPath ?? Path.Combine(mnist.Folder, defaults.CheckpointName), test, tested))
{
    return 1;
}

bool plotted = MnistRun.SavePicture(
    "training curves", options.PlotPath, path => TrainingPlot.Save(result, $"{nameof(MnistMlp)}: {MnistMlp.Architecture}", path));
MnistRun.PrintAccuracy(tested);
return plotted ? 0 : 1;
