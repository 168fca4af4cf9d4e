using System;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.IO;
using System.Linq;

namespace Samples.Mnist;

/// <summary>The sample's command line: <c>[--data DIR] [--epochs N] [--seed N] [--checkpoint FILE] [--plot FILE]</c>.</summary>
internal sealed record SampleOptions(string? DataFolder, int Epochs, int Seed, string? CheckpointPath, string PlotPath)
{
    /// <summary>Where the training curves go without <c>--plot</c>: this file in the current directory.</summary>
    public const string DefaultPlotPath = "mnist-training.png";

    /// <summary>
    /// Parses <paramref name="args"/>. Returns null when there is nothing to train: after <c>--help</c> or
    /// <c>--version</c> (printed, <paramref name="exitCode"/> 0) or a bad command line (what is wrong and the help
    /// printed, <paramref name="exitCode"/> 2).
    /// </summary>
    public static SampleOptions? Parse(string[] args, out int exitCode)
    {
        var data = new Option<string?>("--data")
        {
            HelpName = "DIR",
            Description = $"Where the four MNIST files are or go [default: ${MnistFiles.EnvironmentVariable}, else ~/.cache/netgen/mnist]",
        };
        data.AcceptLegalFilePathsOnly();
        data.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { Length: > 0 } path && File.Exists(path))
            {
                result.AddError($"--data needs a folder, but '{path}' is a file.");
            }
        });

        var epochs = new Option<int>("--epochs")
        {
            HelpName = "N",
            Description = "Most epochs to train (early stopping may end sooner)",
            DefaultValueFactory = _ => 15,
            CustomParser = result => ParseInteger(result, "--epochs", minimum: 1),
        };

        var seed = new Option<int>("--seed")
        {
            HelpName = "N",
            Description = "Seed for initialization, the validation split and shuffling",
            DefaultValueFactory = _ => 1,
            CustomParser = result => ParseInteger(result, "--seed", minimum: int.MinValue),
        };

        var checkpoint = new Option<string?>("--checkpoint")
        {
            HelpName = "FILE",
            Description = "Where to save the trained parameters [default: mnist-mlp.ngck in the data folder]",
        };
        checkpoint.AcceptLegalFilePathsOnly();
        checkpoint.Validators.Add(CheckOutputFile);

        var plot = new Option<string>("--plot")
        {
            HelpName = "FILE",
            Description = "Where to save the PNG of the loss and accuracy per epoch",
            DefaultValueFactory = _ => DefaultPlotPath,
        };
        plot.AcceptLegalFilePathsOnly();
        plot.Validators.Add(result =>
        {
            CheckOutputFile(result);
            if (!result.Errors.Any() && result.GetValueOrDefault<string>() is { } path && !path.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            {
                result.AddError($"--plot writes a PNG image, so its file name must end in .png, not '{Path.GetFileName(path)}'.");
            }
        });

        var command = new RootCommand(
            "Trains a 784-256-128-10 NetGen network on MNIST, prints the test accuracy and saves a checkpoint and a plot of the training curves.")
        {
            data, epochs, seed, checkpoint, plot,
        };
        ParseResult parsed = command.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // What is wrong and where to look, rather than the whole help under the errors; and 2, as before, rather
            // than System.CommandLine's 1, so that a script can tell a bad command line from a failed run.
            foreach (ParseError error in parsed.Errors)
            {
                Console.Error.WriteLine(error.Message);
            }

            Console.Error.WriteLine("Run with --help to see the options.");
            exitCode = 2;
            return null;
        }

        if (parsed.Action is not null)
        {
            exitCode = parsed.Invoke();
            return null;
        }

        exitCode = 0;
        return new SampleOptions(
            parsed.GetValue(data), parsed.GetValue(epochs), parsed.GetValue(seed), parsed.GetValue(checkpoint), Path.GetFullPath(parsed.GetRequiredValue(plot)));
    }

    private static int ParseInteger(ArgumentResult result, string name, int minimum)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        NumberStyles styles = minimum < 0 ? NumberStyles.AllowLeadingSign : NumberStyles.None;
        if (!int.TryParse(text, styles, CultureInfo.InvariantCulture, out int value) || value < minimum)
        {
            result.AddError(minimum < 0
                ? $"{name} needs a whole number, not '{text}'."
                : $"{name} needs a whole number of at least {minimum}, not '{text}'.");
            return default;
        }

        return value;
    }

    /// <summary>A file option must not name a folder, and the folder it goes into must exist (checked now, not after training).</summary>
    private static void CheckOutputFile(OptionResult result)
    {
        if (result.GetValueOrDefault<string?>() is not { Length: > 0 } path || result.Errors.Any())
        {
            return;
        }

        string fullPath = Path.GetFullPath(path);
        if (Directory.Exists(fullPath))
        {
            result.AddError($"{result.Option.Name} needs a file name, but '{path}' is a folder.");
        }
        else if (Path.GetDirectoryName(fullPath) is { } folder && !Directory.Exists(folder))
        {
            result.AddError($"{result.Option.Name} '{path}': the folder {folder} does not exist.");
        }
    }
}
