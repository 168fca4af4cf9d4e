using System;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.IO;
using System.Linq;

namespace Samples.Shared;

/// <summary>
/// What differs between the MNIST samples' command lines: the description, the defaults, and the options only some
/// samples offer.
/// </summary>
/// <param name="Description">The help's first line.</param>
/// <param name="Epochs">Epochs without <c>--epochs</c>.</param>
/// <param name="CheckpointName">The checkpoint's file name in the data folder without <c>--checkpoint</c>.</param>
/// <param name="PlotPath">Where the training curves go without <c>--plot</c>: a file in the current directory.</param>
internal sealed record SampleDefaults(string Description, int Epochs, string CheckpointName, string PlotPath)
{
    /// <summary>Where the misclassified digits go without <c>--misclassified</c>; null: the sample has no such option.</summary>
    public string? MisclassifiedPath { get; init; }

    /// <summary>Whether the sample offers <c>--min-accuracy</c>.</summary>
    public bool OffersMinimumAccuracy { get; init; }
}

/// <summary>
/// An MNIST sample's command line: <c>[--data DIR] [--epochs N] [--seed N] [--checkpoint FILE] [--plot FILE]</c>, and
/// <c>[--misclassified FILE] [--min-accuracy PERCENT]</c> where <see cref="SampleDefaults"/> offers them.
/// </summary>
/// <param name="MisclassifiedPath">The full path for the misclassified digits; null where the sample does not offer it.</param>
/// <param name="MinimumAccuracy">The test accuracy in percent below which the run fails; 0 unless set.</param>
internal sealed record SampleOptions(
    string? DataFolder, int Epochs, int Seed, string? CheckpointPath, string PlotPath, string? MisclassifiedPath, double MinimumAccuracy)
{
    /// <summary>
    /// Parses <paramref name="args"/> as <paramref name="defaults"/> describe. Returns null when there is nothing to
    /// train: after <c>--help</c> or <c>--version</c> (printed, <paramref name="exitCode"/> 0) or a bad command line
    /// (what is wrong and the help printed, <paramref name="exitCode"/> 2).
    /// </summary>
    public static SampleOptions? Parse(string[] args, SampleDefaults defaults, out int exitCode)
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
            DefaultValueFactory = _ => defaults.Epochs,
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
            Description = $"Where to save the trained parameters [default: {defaults.CheckpointName} in the data folder]",
        };
        checkpoint.AcceptLegalFilePathsOnly();
        checkpoint.Validators.Add(CheckOutputFile);

        var plot = PngOption("--plot", "Where to save the PNG of the loss and accuracy per epoch", defaults.PlotPath);
        Option<string>? misclassified = defaults.MisclassifiedPath is { } misclassifiedPath
            ? PngOption("--misclassified", "Where to save the PNG of misclassified test digits", misclassifiedPath)
            : null;
        Option<double>? minimumAccuracy = defaults.OffersMinimumAccuracy
            ? new Option<double>("--min-accuracy")
            {
                HelpName = "PERCENT",
                Description = "Exit with code 3 when the test accuracy is below this percentage",
                CustomParser = ParsePercentage,
            }
            : null;

        var command = new RootCommand(defaults.Description) { data, epochs, seed, checkpoint, plot };
        foreach (Option option in new Option?[] { misclassified, minimumAccuracy }.OfType<Option>())
        {
            command.Options.Add(option);
        }

        if (!CommandLine.TryParse(command, args, out ParseResult parsed, out exitCode))
        {
            return null;
        }

        exitCode = 0;
        return new SampleOptions(
            parsed.GetValue(data),
            parsed.GetValue(epochs),
            parsed.GetValue(seed),
            parsed.GetValue(checkpoint),
            Path.GetFullPath(parsed.GetRequiredValue(plot)),
            misclassified is null ? null : Path.GetFullPath(parsed.GetRequiredValue(misclassified)),
            minimumAccuracy is null ? 0 : parsed.GetValue(minimumAccuracy));
    }

    /// <summary>An option naming a PNG file to write, <paramref name="defaultPath"/> unless given.</summary>
    private static Option<string> PngOption(string name, string description, string defaultPath)
    {
        var option = new Option<string>(name)
        {
            HelpName = "FILE",
            Description = description,
            DefaultValueFactory = _ => defaultPath,
        };
        option.AcceptLegalFilePathsOnly();
        option.Validators.Add(result =>
        {
            CheckOutputFile(result);
            if (!result.Errors.Any() && result.GetValueOrDefault<string>() is { } path && !path.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            {
                result.AddError($"{name} writes a PNG image, so its file name must end in .png, not '{Path.GetFileName(path)}'.");
            }
        });
        return option;
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

    private static double ParsePercentage(ArgumentResult result)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (!double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value) || value > 100)
        {
            result.AddError($"--min-accuracy needs a percentage from 0 to 100, not '{text}'.");
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
