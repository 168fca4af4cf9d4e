using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using NetGen;
using NetGen.Benchmarks;
using Samples.Shared;

// Times one training epoch of MNIST at each batch size and thread count asked for: a warm-up epoch, then the median,
// fastest and slowest of the measured ones. W1 is the MLP with SGD (momentum 0.9, learning rate 0.05); W5 is LeNet-5 with
// Adam (1e-3). "default" leaves TrainingOptions.Threads unset, as a user would.
var dataOption = new Option<string?>("--data")
{
    HelpName = "DIR",
    Description = "Folder with train-images-idx3-ubyte and train-labels-idx1-ubyte, raw or .gz [default: ~/.cache/netgen/mnist]",
};
var networkOption = new Option<string>("--network")
{
    Description = "w1 (784-128-10, SGD) or w5 (LeNet-5, Adam)",
    DefaultValueFactory = _ => "w1",
};
networkOption.AcceptOnlyFromAmong("w1", "w5");
var threadsOption = new Option<string>("--threads")
{
    HelpName = "LIST",
    Description = "Comma-separated thread counts; 'default' leaves the choice to the trainer",
    DefaultValueFactory = _ => "1,default",
};
var batchOption = new Option<string>("--batch")
{
    HelpName = "LIST",
    Description = "Comma-separated batch sizes",
    DefaultValueFactory = _ => "64,256",
};
var epochsOption = new Option<int>("--epochs")
{
    Description = "Measured epochs per setting, after one warm-up epoch",
    DefaultValueFactory = _ => 3,
};
epochsOption.Validators.Add(result =>
{
    if (result.GetValueOrDefault<int>() < 1)
    {
        result.AddError("--epochs needs at least 1.");
    }
});
var command = new RootCommand("Times NetGen training epochs on MNIST at several thread counts and batch sizes.")
{
    dataOption, networkOption, threadsOption, batchOption, epochsOption,
};
if (!CommandLine.TryParse(command, args, out ParseResult parsed, out int exitCode))
{
    return exitCode;
}

if (ParseList(parsed.GetValue(threadsOption)!, allowDefault: true, "--threads") is not { } threadCounts ||
    ParseList(parsed.GetValue(batchOption)!, allowDefault: false, "--batch") is not { } batchSizes)
{
    return 2;
}

string folder = MnistFiles.ChooseFolder(parsed.GetValue(dataOption));
if (MnistFiles.Ensure(folder, Console.Error.WriteLine) is { } problem)
{
    Console.Error.WriteLine(problem);
    return 1;
}

Dataset train = IdxReader.ReadClassification(
    MnistFiles.Find(folder, MnistFiles.TrainImages)!, MnistFiles.Find(folder, MnistFiles.TrainLabels)!, 10);
string network = parsed.GetValue(networkOption)!;
int epochs = parsed.GetValue(epochsOption);
Console.WriteLine($"# {network}, {train.Count} samples, {Environment.ProcessorCount} processors, Vector<float>.Count = {System.Numerics.Vector<float>.Count}");
Console.WriteLine("| batch | threads | workers | epoch median (s) | min | max | vs 1 thread |");
Console.WriteLine("|---|---|---|---|---|---|---|");
foreach (int? batchSize in batchSizes)
{
    int batch = batchSize!.Value;
    double? oneThread = null;
    foreach (int? threads in threadCounts)
    {
        var options = new TrainingOptions { Epochs = 1, BatchSize = batch, LearningRate = network == "w1" ? 0.05f : 1e-3f, Threads = threads, Seed = 1 };
        (double[] seconds, int workers) = network == "w1"
            ? Time(new Mnist128(), new Sgd(momentum: 0.9f), options, train, epochs)
            : Time(new LeNet5(), new Adam(), options, train, epochs);
        Array.Sort(seconds);
        double median = seconds[seconds.Length / 2];
        if (threads == 1)
        {
            oneThread = median;
        }

        string speedUp = oneThread is double baseline ? (baseline / median).ToString("0.00", CultureInfo.InvariantCulture) + "×" : "";
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"| {batch} | {threads?.ToString(CultureInfo.InvariantCulture) ?? "default"} | {workers} | {median:0.000} | {seconds[0]:0.000} | {seconds[^1]:0.000} | {speedUp} |"));
    }
}

return 0;

static (double[] Seconds, int Workers) Time<TNetwork>(TNetwork network, Optimizer optimizer, TrainingOptions options, Dataset train, int epochs)
    where TNetwork : INetwork
{
    using var trainer = new Trainer<TNetwork>(network, optimizer, options);
    trainer.Fit(train);
    var seconds = new double[epochs];
    for (int epoch = 0; epoch < epochs; epoch++)
    {
        long start = Stopwatch.GetTimestamp();
        trainer.Fit(train);
        seconds[epoch] = Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    return (seconds, trainer.Threads);
}

static List<int?>? ParseList(string text, bool allowDefault, string option)
{
    var values = new List<int?>();
    foreach (string item in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
    {
        if (allowDefault && item == "default")
        {
            values.Add(null);
        }
        else if (int.TryParse(item, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value > 0)
        {
            values.Add(value);
        }
        else
        {
            Console.Error.WriteLine($"{option} takes positive whole numbers{(allowDefault ? " or 'default'" : "")} separated by commas, not '{item}'.");
            return null;
        }
    }

    if (values.Count == 0)
    {
        Console.Error.WriteLine($"{option} needs at least one value.");
        return null;
    }

    return values;
}
