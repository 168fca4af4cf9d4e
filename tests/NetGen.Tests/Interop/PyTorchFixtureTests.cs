using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using NetGen.Tests.Networks;
using Xunit;

namespace NetGen.Tests.Interop;

/// <summary>
/// State dicts that PyTorch trained and wrote (<c>make_pytorch_fixtures.py</c>) load into the generated classes and
/// reproduce the twin's outputs; and, with NETGEN_PYTORCH_EXPORT set, NetGen's files for the script's <c>check</c> mode.
/// </summary>
public sealed class PyTorchFixtureTests
{
    private const double RelativeTolerance = 1e-5;
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Interop", "Fixtures");

    private static readonly Dictionary<string, Func<INetwork>> Networks = new()
    {
        [nameof(MnistSubsetNet)] = () => new MnistSubsetNet(),
        [nameof(WideVectorBce)] = () => new WideVectorBce(),
        [nameof(MseTanhOutput)] = () => new MseTanhOutput(),
    };

    public static TheoryData<string> Names => new(Networks.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public void A_pytorch_state_dict_reproduces_the_twins_outputs(string name)
    {
        INetwork network = Networks[name]();
        SafeTensors.Load(network, Path.Combine(Folder, $"{name}.safetensors"));
        float[] inputs = ReadFloats($"{name}.inputs.f32");
        float[] expected = ReadFloats($"{name}.outputs.f32");
        bool logits = network.Architecture.EndsWith("Loss=CrossEntropy", StringComparison.Ordinal);
        int samples = inputs.Length / network.InputSize;
        Assert.Equal(samples * network.OutputSize, expected.Length);

        var output = new float[network.OutputSize];
        double worst = 0;
        for (int sample = 0; sample < samples; sample++)
        {
            network.Forward(inputs.AsSpan(sample * network.InputSize, network.InputSize), output);
            double[] twin = Array.ConvertAll(expected[(sample * output.Length)..((sample + 1) * output.Length)], value => (double)value);
            if (logits)
            {
                Softmax(twin);
            }

            for (int j = 0; j < output.Length; j++)
            {
                worst = Math.Max(worst, Math.Abs(output[j] - twin[j]) / Math.Abs(twin[j]));
            }
        }

        Assert.True(worst <= RelativeTolerance, $"{name}: the largest relative difference from PyTorch is {worst:G3}");
    }

    /// <summary>
    /// Writes each fixture network's Save, with fresh parameters, and its outputs on the fixture inputs to the folder in
    /// NETGEN_PYTORCH_EXPORT, for <c>make_pytorch_fixtures.py check</c>; without the variable it does nothing.
    /// </summary>
    [Fact]
    public void Export()
    {
        string? folder = Environment.GetEnvironmentVariable("NETGEN_PYTORCH_EXPORT");
        if (string.IsNullOrEmpty(folder))
        {
            return;
        }

        Directory.CreateDirectory(folder);
        foreach (var (name, create) in Networks)
        {
            INetwork network = create();
            network.InitializeParameters(11);
            SafeTensors.Save(network, Path.Combine(folder, $"{name}.netgen.safetensors"));
            float[] inputs = ReadFloats($"{name}.inputs.f32");
            var outputs = new float[inputs.Length / network.InputSize * network.OutputSize];
            for (int sample = 0; sample < inputs.Length / network.InputSize; sample++)
            {
                network.Forward(inputs.AsSpan(sample * network.InputSize, network.InputSize), outputs.AsSpan(sample * network.OutputSize, network.OutputSize));
            }

            File.WriteAllBytes(Path.Combine(folder, $"{name}.netgen-outputs.f32"), MemoryMarshal.AsBytes(outputs.AsSpan()).ToArray());
        }
    }

    private static float[] ReadFloats(string file) => MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(Path.Combine(Folder, file))).ToArray();

    private static void Softmax(double[] logits)
    {
        double max = double.NegativeInfinity, sum = 0;
        foreach (double logit in logits)
        {
            max = Math.Max(max, logit);
        }

        for (int j = 0; j < logits.Length; j++)
        {
            sum += logits[j] = Math.Exp(logits[j] - max);
        }

        for (int j = 0; j < logits.Length; j++)
        {
            logits[j] /= sum;
        }
    }
}
