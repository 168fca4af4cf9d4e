using System;
using System.Globalization;

namespace Samples.Mnist;

/// <summary>The sample's command line: <c>[--data DIR] [--epochs N] [--seed N] [--checkpoint FILE]</c>.</summary>
internal sealed record SampleOptions(string? DataFolder, int Epochs, int Seed, string? CheckpointPath)
{
    private const string Usage =
        "usage: Mnist [--data DIR] [--epochs N] [--seed N] [--checkpoint FILE]\n" +
        "  --data DIR         where the four MNIST files are or go (default: $NETGEN_MNIST_DIR, else ~/.cache/netgen/mnist)\n" +
        "  --epochs N         most epochs to train (default 15; early stopping may end sooner)\n" +
        "  --seed N           seed for initialization, the validation split and shuffling (default 1)\n" +
        "  --checkpoint FILE  where to save the trained parameters (default: mnist-mlp.ngck in the data folder)";

    /// <summary>Parses the arguments, or prints the usage and returns null.</summary>
    public static SampleOptions? Parse(string[] args)
    {
        var options = new SampleOptions(null, 15, 1, null);
        for (int i = 0; i < args.Length; i++)
        {
            string? value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--data" when value is not null:
                    options = options with { DataFolder = value };
                    i++;
                    break;
                case "--checkpoint" when value is not null:
                    options = options with { CheckpointPath = value };
                    i++;
                    break;
                case "--epochs" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int epochs) && epochs > 0:
                    options = options with { Epochs = epochs };
                    i++;
                    break;
                case "--seed" when int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int seed):
                    options = options with { Seed = seed };
                    i++;
                    break;
                default:
                    Console.Error.WriteLine(args[i] is "--help" or "-h" ? Usage : $"Unexpected argument '{args[i]}'.\n{Usage}");
                    return null;
            }
        }

        return options;
    }
}
