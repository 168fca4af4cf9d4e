using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Tests.Networks;
using Xunit;

namespace NetGen.Tests.Training;

/// <summary>
/// How many threads the sample split uses and how many chunks it cuts a batch into (<see cref="RowChunks"/>), from the
/// cost of a row against the cost of a chunk's gradient.
/// </summary>
public class RowChunksTests
{
    [Fact]
    public void A_784_128_10_perceptron_is_worth_a_chunk_from_eight_rows()
    {
        // A Dense row costs one multiply-add per parameter, so eight multiply-adds per parameter take eight rows.
        const int Hidden = 784 * 128 + 128, Output = 128 * 10 + 10;
        IReadOnlyList<LayerInfo> layers =
        [
            LayerInfo.Dense(0, 784, 128, Activation.ReLU, weightsOffset: 0, biasesOffset: 784 * 128),
            LayerInfo.Dense(1, 128, 10, Activation.Softmax, weightsOffset: Hidden, biasesOffset: Hidden + 128 * 10),
        ];

        Assert.Equal(Hidden + Output, RowChunks.MultiplyAddsPerRow(layers));
        Assert.Equal(8, RowChunks.MinimumRows(layers, Hidden + Output));
    }

    public static TheoryData<string> DenseOnlyNetworks() =>
        new(NetworkCatalog.AllNames.Where(name => NetworkCatalog.Create(name).Layers.All(layer => layer.Kind == LayerKind.Dense)));

    [Theory]
    [MemberData(nameof(DenseOnlyNetworks))]
    public void Every_Dense_only_network_is_worth_a_chunk_from_eight_rows_whatever_its_size(string name)
    {
        INetwork network = NetworkCatalog.Create(name);

        Assert.Equal(network.ParameterCount, RowChunks.MultiplyAddsPerRow(network.Layers));
        Assert.Equal(8, RowChunks.MinimumRows(network.Layers, network.ParameterCount));
    }

    [Fact]
    public void A_convolution_counts_its_filter_patch_for_each_output_and_a_pool_its_window_for_each_output()
    {
        // DeepConvBce, layer by layer from its attributes; a Dense layer counts its weights and one add per bias, a
        // convolution its patch per output (the bias rides on the first multiply-add), a pool each read of its window,
        // and dropout one per output.
        long expected =
            (5 * 9 * 9) * (3 * 3 * 3)      // Conv2D(5, 3, Padding = 1) on 3 × 9 × 9: 5 × 9 × 9 outputs of a 3 × 3 × 3 patch
            + (6 * 8 * 8) * (5 * 2 * 2)    // Conv2D(6, 2): 6 × 8 × 8 outputs of a 5 × 2 × 2 patch
            + (6 * 6 * 6) * (3 * 3)        // MaxPool2D(3, Stride = 1): 6 × 6 × 6 outputs of a 3 × 3 window
            + (17 * 4 * 4) * (6 * 3 * 3)   // Conv2D(17, 3): 17 × 4 × 4 outputs of a 6 × 3 × 3 patch
            + (17 * 2 * 2) * (2 * 2)       // AvgPool2D(2): 17 × 2 × 2 outputs of a 2 × 2 window
            + (68 * 5 + 5)                 // Dense(5) on the 68 flattened values
            + 5                            // Dropout(0.5)
            + (5 * 2 + 2);                 // Dense(2): 35,881 in all
        Assert.Equal(expected, RowChunks.MultiplyAddsPerRow(new DeepConvBce().Layers));
    }

    [Fact]
    public void A_strided_padded_convolution_counts_only_the_outputs_it_computes()
    {
        long expected =
            (4 * 4 * 3) * (2 * 3 * 3)      // Conv2D(4, 3, Stride = 2, Padding = 1) on 2 × 7 × 5: 4 × 4 × 3 outputs of a 2 × 3 × 3 patch
            + (4 * 3 * 2) * (2 * 2)        // AvgPool2D(2, Stride = 1): 4 × 3 × 2 outputs of a 2 × 2 window
            + (24 * 3 + 3);                // Dense(3) on the 24 flattened values: 1,035 in all
        Assert.Equal(expected, RowChunks.MultiplyAddsPerRow(new ConvStridePaddingMse().Layers));
    }

    [Fact]
    public void A_network_whose_rows_cost_more_than_eight_multiply_adds_per_parameter_still_needs_two_rows_a_chunk()
    {
        // ConvPoolCe: 142 parameters, 1,192 multiply-adds a row, so one row would already pay for its chunk.
        INetwork network = new ConvPoolCe();
        Assert.Equal(142, network.ParameterCount);
        Assert.Equal(1_192, RowChunks.MultiplyAddsPerRow(network.Layers));

        Assert.Equal(2, RowChunks.MinimumRows(network.Layers, network.ParameterCount));
    }

    [Theory]
    [InlineData(3, 2, 64, 3)]      // more threads than processors, as asked
    [InlineData(8, 16, 16, 8)]     // more threads than the batch is worth chunks, as asked
    [InlineData(1, 16, 64, 1)]
    [InlineData(3, 16, 2, 2)]      // never more threads than rows
    [InlineData(64, 4, 5, 5)]
    public void A_requested_thread_count_is_honoured_up_to_the_batch_size(int requested, int processors, int batchSize, int expected)
    {
        Assert.Equal(expected, RowChunks.Workers(requested, processors, batchSize, minimumRows: 8));
    }

    [Theory]
    [InlineData(16, 64, 8, 8)]     // as many as the batch is worth chunks
    [InlineData(4, 64, 8, 4)]      // no more than the processors
    [InlineData(16, 15, 8, 1)]     // a batch not worth two chunks: one thread
    [InlineData(16, 4, 8, 1)]      // a batch smaller than one chunk's worth: still one thread
    [InlineData(1, 1000, 2, 1)]
    public void Without_a_request_the_thread_count_is_capped_by_the_processors_and_the_chunks_the_batch_is_worth(
        int processors, int batchSize, int minimumRows, int expected)
    {
        Assert.Equal(expected, RowChunks.Workers(null, processors, batchSize, minimumRows));
    }

    [Fact]
    public void Without_a_request_the_thread_count_is_the_most_that_the_processors_and_the_batch_allow_and_at_least_one()
    {
        foreach ((int processors, int batchSize, int minimumRows) in Grid(processorsTo: 16, batchSizeTo: 300, minimumRowsTo: 40))
        {
            int workers = RowChunks.Workers(null, processors, batchSize, minimumRows);
            int expected = Math.Max(1, Math.Min(processors, batchSize / minimumRows));
            Assert.True(workers == expected, $"{processors} processors, batch {batchSize}, {minimumRows} rows a chunk: {workers} threads");
        }
    }

    private static IEnumerable<(int, int, int)> Grid(int processorsTo, int batchSizeTo, int minimumRowsTo)
    {
        for (int processors = 1; processors <= processorsTo; processors++)
        {
            for (int batchSize = 1; batchSize <= batchSizeTo; batchSize++)
            {
                for (int minimumRows = 2; minimumRows <= minimumRowsTo; minimumRows++)
                {
                    yield return (processors, batchSize, minimumRows);
                }
            }
        }
    }
}
