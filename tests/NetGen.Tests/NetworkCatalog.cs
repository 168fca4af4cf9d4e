using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Tests.Networks;
using Xunit;

namespace NetGen.Tests;

/// <summary>The generated test networks by name, for theories, with sample data that suits each loss.</summary>
internal static class NetworkCatalog
{
    private static readonly Dictionary<string, Func<INetwork>> Factories = new()
    {
        [nameof(MseIdentityOutput)] = () => new MseIdentityOutput(),
        [nameof(MseSigmoidOutput)] = () => new MseSigmoidOutput(),
        [nameof(MseTanhOutput)] = () => new MseTanhOutput(),
        [nameof(MseReluOutput)] = () => new MseReluOutput(),
        [nameof(MseLeakyReluOutput)] = () => new MseLeakyReluOutput(),
        [nameof(BceIdentityHidden)] = () => new BceIdentityHidden(),
        [nameof(BceSigmoidHidden)] = () => new BceSigmoidHidden(),
        [nameof(BceTanhHidden)] = () => new BceTanhHidden(),
        [nameof(BceReluHidden)] = () => new BceReluHidden(),
        [nameof(BceLeakyReluHidden)] = () => new BceLeakyReluHidden(),
        [nameof(CeIdentityHidden)] = () => new CeIdentityHidden(),
        [nameof(CeSigmoidHidden)] = () => new CeSigmoidHidden(),
        [nameof(CeTanhHidden)] = () => new CeTanhHidden(),
        [nameof(CeReluHidden)] = () => new CeReluHidden(),
        [nameof(CeLeakyReluHidden)] = () => new CeLeakyReluHidden(),
        [nameof(DeepUnrolled)] = () => new DeepUnrolled(),
        [nameof(DeepVector)] = () => new DeepVector(),
        [nameof(WideVectorBce)] = () => new WideVectorBce(),
        [nameof(WideVectorMse)] = () => new WideVectorMse(),
        [nameof(MixedPathsCe)] = () => new MixedPathsCe(),
        [nameof(WideUnrolledMse)] = () => new WideUnrolledMse(),
        [nameof(ConvPoolCe)] = () => new ConvPoolCe(),
        [nameof(ConvStridePaddingMse)] = () => new ConvStridePaddingMse(),
        [nameof(DeepConvBce)] = () => new DeepConvBce(),
        [nameof(DenseDropoutCe)] = () => new DenseDropoutCe(),
    };

    public static string[] AllNames => Factories.Keys.OrderBy(name => name, StringComparer.Ordinal).ToArray();

    public static TheoryData<string> Names => new(AllNames);

    public static INetwork Create(string name) => Factories[name]();

    /// <summary>count samples as [count × size] rows, sample s drawn with seed firstSeed + s.</summary>
    public static (float[] Inputs, float[] Targets) SampleRows(INetwork network, int count, int firstSeed)
    {
        var inputs = new float[count * network.InputSize];
        var targets = new float[count * network.OutputSize];
        for (int s = 0; s < count; s++)
        {
            var (input, target) = NetworkCatalog.Sample(network, seed: firstSeed + s);
            input.CopyTo(inputs, s * network.InputSize);
            target.CopyTo(targets, s * network.OutputSize);
        }

        return (inputs, targets);
    }

    /// <summary>Seeded inputs in [−1, 1] and targets valid for the network's loss (probabilities for CE and BCE).</summary>
    public static (float[] Input, float[] Target) Sample(INetwork network, int seed)
    {
        var random = new SeededRandom(seed);
        var input = new float[network.InputSize];
        for (int i = 0; i < input.Length; i++)
        {
            input[i] = random.NextSymmetric(1f);
        }

        var target = new float[network.OutputSize];
        if (network.Architecture.EndsWith("Loss=CrossEntropy", StringComparison.Ordinal))
        {
            float sum = 0;
            for (int j = 0; j < target.Length; j++)
            {
                sum += target[j] = random.NextSingle() + 0.05f;
            }

            for (int j = 0; j < target.Length; j++)
            {
                target[j] /= sum;
            }
        }
        else
        {
            bool probability = network.Architecture.EndsWith("Loss=BinaryCrossEntropy", StringComparison.Ordinal)
                || network.Architecture.Contains(",Sigmoid) Loss", StringComparison.Ordinal);
            for (int j = 0; j < target.Length; j++)
            {
                target[j] = probability ? random.NextSingle() : random.NextSymmetric(1f);
            }
        }

        return (input, target);
    }
}
