using System;
using System.CommandLine;
using System.Diagnostics;
using System.IO;
using NetGen;
using Samples.Embedded;
using Samples.Shared;

// Classifies the MNIST test images with weights trained in PyTorch, and says what it cost: start-up time, per-image
// latency, binary size. The command line is System.CommandLine's, trimmed and compiled ahead of time with the rest.
var dataOption = new Option<string?>("--data")
{
    HelpName = "DIR",
    Description = "Folder with t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte, raw or .gz [default: ~/.cache/netgen/mnist]",
};
var weightsOption = new Option<string?>("--weights")
{
    HelpName = "FILE",
    Description = "A safetensors file of DigitNet's PyTorch twin [default: digits.safetensors beside the binary]",
};
var minimumOption = new Option<double>("--min-accuracy")
{
    HelpName = "PERCENT",
    Description = "Exit with code 3 when the test accuracy is lower (CI's check)",
};
minimumOption.Validators.Add(result =>
{
    if (result.GetValueOrDefault<double>() is < 0 or > 100)
    {
        result.AddError("--min-accuracy needs a percentage between 0 and 100.");
    }
});
var command = new RootCommand("Classifies the MNIST test images with DigitNet and PyTorch-trained weights; prints accuracy, latency, start-up time and binary size.")
{
    dataOption, weightsOption, minimumOption,
};
if (!CommandLine.TryParse(command, args, out ParseResult parsed, out int exitCode))
{
    return exitCode;
}

string? data = parsed.GetValue(dataOption), weights = parsed.GetValue(weightsOption);
double minimumAccuracy = parsed.GetValue(minimumOption);
data ??= Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "netgen", "mnist");
weights ??= Path.Combine(AppContext.BaseDirectory, "digits.safetensors");
string? images = Find(data, "t10k-images-idx3-ubyte"), labels = Find(data, "t10k-labels-idx1-ubyte");
if (images is null || labels is null)
{
    Console.Error.WriteLine($"The MNIST test files (t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, raw or .gz) are not in {data}; pass --data DIR.");
    return 1;
}

var network = new DigitNet();
try
{
    SafeTensors.Load(network, weights);
}
catch (Exception exception) when (exception is SafeTensorsException or IOException)
{
    Console.Error.WriteLine($"Cannot load the weights: {exception.Message}");
    return 1;
}

// From the process's start, runtime start-up included, to a network ready to run.
TimeSpan startUp = DateTime.Now - Process.GetCurrentProcess().StartTime;
(float[] pixels, int count, _, _) = IdxReader.ReadImages(images);
byte[] truth = IdxReader.ReadLabels(labels);

// 20,000 calls to warm up (under the JIT, enough for its optimized tier; NativeAOT needs none), then every image
// once, timed one by one: the latency a caller sees per Forward.
Span<float> output = stackalloc float[DigitNet.OutputSize];
for (int call = 0; call < 20_000; call++)
{
    network.Forward(pixels.AsSpan(call % count * DigitNet.InputSize, DigitNet.InputSize), output);
}

var latencies = new double[count];
int correct = 0;
for (int image = 0; image < count; image++)
{
    long before = Stopwatch.GetTimestamp();
    network.Forward(pixels.AsSpan(image * DigitNet.InputSize, DigitNet.InputSize), output);
    latencies[image] = Stopwatch.GetElapsedTime(before).TotalMicroseconds;
    correct += ArgMax(output) == truth[image] ? 1 : 0;
}

Array.Sort(latencies);
string binary = Environment.ProcessPath ?? "";
Console.WriteLine($"{count} test images, accuracy {100.0 * correct / count:F2}%");
Console.WriteLine($"latency per image: median {latencies[count / 2]:F2} µs, 99th percentile {latencies[count * 99 / 100]:F2} µs");
Console.WriteLine($"start-up, process start to loaded weights: {startUp.TotalMilliseconds:F0} ms");
// The JIT's host hands the runtime its list of framework assemblies; a NativeAOT binary has none to hand.
bool nativeAot = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is null;
Console.WriteLine($"binary: {Path.GetFileName(binary)}, {new FileInfo(binary).Length / 1024.0 / 1024.0:F2} MiB, {(nativeAot ? "native AOT" : "JIT")}");
Console.WriteLine($"Vector<float>: {System.Numerics.Vector<float>.Count} lanes");
if (100.0 * correct / count < minimumAccuracy)
{
    Console.Error.WriteLine($"Accuracy below the required {minimumAccuracy}%.");
    return 3;
}

return 0;

static string? Find(string folder, string name) =>
    File.Exists(Path.Combine(folder, name)) ? Path.Combine(folder, name)
    : File.Exists(Path.Combine(folder, name + ".gz")) ? Path.Combine(folder, name + ".gz")
    : null;

static int ArgMax(ReadOnlySpan<float> values)
{
    int best = 0;
    for (int i = 1; i < values.Length; i++)
    {
        if (values[i] > values[best])
        {
            best = i;
        }
    }

    return best;
}
