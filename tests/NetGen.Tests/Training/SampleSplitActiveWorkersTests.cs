using System;
using System.Linq;
using NetGen.Tests.Networks;
using Xunit;

namespace NetGen.Tests.Training;

/// <summary>
/// The sample split's batch round gives the same bits whichever workers take part: the tuner changes how many do from
/// step to step, and a seeded run must still repeat bit for bit. Each chunk's gradients are compared, not only their sum,
/// so that a chunk whose rows, dropout masks or workspace depended on its worker would show.
/// </summary>
public class SampleSplitActiveWorkersTests
{
    private const int Workers = 3, BatchSize = 24, DatasetSize = 40;

    public static TheoryData<string, int, int> NetworksChunksAndRows()
    {
        var data = new TheoryData<string, int, int>();
        foreach (string network in new[] { nameof(MnistSubsetNet), nameof(DeepConvBce) })
        {
            // One chunk per worker, as the trainer cuts them, and more chunks than workers; a full batch, and a short
            // last batch whose chunks differ in size.
            foreach (int chunks in new[] { Workers, 7 })
            {
                data.Add(network, chunks, BatchSize);
                data.Add(network, chunks, BatchSize - 3);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(NetworksChunksAndRows))]
    public void Every_chunks_gradients_and_loss_are_the_same_bits_whichever_workers_take_part(string network, int chunks, int rows)
    {
        switch (network)
        {
            case nameof(MnistSubsetNet):
                AssertSameBitsForEveryActiveCount(new MnistSubsetNet(), chunks, rows);
                break;
            case nameof(DeepConvBce):
                AssertSameBitsForEveryActiveCount(new DeepConvBce(), chunks, rows);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(network), network, "not a network of this test");
        }
    }

    /// <summary>Runs the batch round with 1, 2 and 3 of the pool's workers, several times each, and compares every result with the first.</summary>
    private static void AssertSameBitsForEveryActiveCount<TNetwork>(TNetwork network, int chunks, int rows)
        where TNetwork : INetwork
    {
        const int Repeats = 5;
        network.InitializeParameters(7);

        // Dropout (in DeepConvBce) draws its masks in training mode, from the round's key and each row's place in the batch.
        network.Mode = NetworkMode.Training;
        (float[] inputs, float[] targets) = NetworkCatalog.SampleRows(network, DatasetSize, firstSeed: 11);
        var data = new Dataset(inputs, network.InputSize, targets, network.OutputSize);
        var split = new SampleSplit<TNetwork>(network, BatchSize, Workers, chunks) { DropoutKey = 0x5EED };
        for (int row = 0; row < rows; row++)
        {
            // Scattered samples, so that each chunk gathers rows from all over the dataset.
            split.Samples[row] = (row * 17 + 5) % DatasetSize;
        }

        using var pool = new WorkerPool(Workers);
        Result? expected = null;
        for (int active = 1; active <= Workers; active++)
        {
            for (int repeat = 0; repeat < Repeats; repeat++)
            {
                split.Begin(data, rows, computeGradients: true);
                pool.Run(split.RunForwardAndBackward, split.TaskCount, active);
                split.End();

                Result actual = Result.Of(split);
                if (expected is null)
                {
                    expected = actual;

                    // Gradients that were all zero would match whatever ran them.
                    Assert.All(expected.Gradients, chunk => Assert.Contains(chunk, bits => bits != 0));
                    continue;
                }

                Assert.True(expected.LossSum == actual.LossSum, $"the loss differs with {active} workers");
                Assert.Equal(expected.Correct, actual.Correct);
                for (int chunk = 0; chunk < chunks; chunk++)
                {
                    Assert.True(expected.Gradients[chunk].AsSpan().SequenceEqual(actual.Gradients[chunk]), $"chunk {chunk}'s gradients differ with {active} workers");
                }
            }
        }
    }

    /// <summary>What a batch round found, as bits: each chunk's gradients, the loss summed in chunk order, and the right predictions.</summary>
    private sealed record Result(int[][] Gradients, long LossSum, int Correct)
    {
        public static Result Of<TNetwork>(SampleSplit<TNetwork> split)
            where TNetwork : INetwork
        {
            int[][] gradients = split.Workspaces.ToArray()
                .Select(workspace => workspace.GradientSpan.ToArray().Select(BitConverter.SingleToInt32Bits).ToArray())
                .ToArray();
            return new Result(gradients, BitConverter.DoubleToInt64Bits(split.LossSum), split.CorrectCount);
        }
    }
}
