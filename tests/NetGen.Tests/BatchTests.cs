using System;
using System.Linq;
using NetGen.Tests.Networks;
using Xunit;

namespace NetGen.Tests;

/// <summary>The batched kernels against the single-sample path, which the gradient tests already tie to the reference.</summary>
public class BatchTests
{
    public static TheoryData<string, int> NetworksAndBatchSizes()
    {
        var data = new TheoryData<string, int>();
        foreach (string name in NetworkCatalog.AllNames)
        {
            // 130 spans three of the 64-sample blocks batched Forward runs through the layers at a time.
            foreach (int count in new[] { 1, 3, 4, 5, 9, 130 })
            {
                data.Add(name, count);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(NetworksAndBatchSizes))]
    public void A_batch_gives_the_outputs_loss_sum_and_summed_gradients_of_its_samples_one_by_one(string name, int count)
    {
        INetwork network = NetworkCatalog.Create(name);
        network.InitializeParameters(count);
        var (inputs, targets) = NetworkCatalog.SampleRows(network, count, firstSeed: 40);

        var expectedOutputs = new float[count * network.OutputSize];
        double expectedLoss = 0;
        network.ZeroGradients();
        for (int s = 0; s < count; s++)
        {
            network.Forward(inputs.AsSpan(s * network.InputSize, network.InputSize), expectedOutputs.AsSpan(s * network.OutputSize, network.OutputSize));
            expectedLoss += network.Backward(targets.AsSpan(s * network.OutputSize, network.OutputSize));
        }

        // A capacity above the count, so that the per-layer blocks are found by capacity, not count.
        BatchWorkspace workspace = network.CreateWorkspace(capacity: count + 4);
        var outputs = new float[count * network.OutputSize];
        network.ForwardBatch(workspace, inputs, outputs);
        float loss = network.BackwardBatch(workspace, targets);

        Numeric.AssertClose(expectedOutputs.Select(v => (double)v).ToArray(), outputs, 1e-5, $"{name} × {count} outputs");
        Numeric.AssertClose(new[] { expectedLoss }, new[] { loss }, 1e-5, $"{name} × {count} loss");
        Numeric.AssertClose(network.Gradients.ToArray().Select(v => (double)v).ToArray(), workspace.GradientSpan.ToArray(), 1e-5, $"{name} × {count} gradients");
    }

    [Fact]
    public void Batched_forward_and_backward_allocate_nothing()
    {
        var network = new MixedPathsCe();
        BatchWorkspace workspace = network.CreateWorkspace(16);
        var inputs = new float[16 * MixedPathsCe.InputSize];
        var outputs = new float[16 * MixedPathsCe.OutputSize];
        var targets = new float[16 * MixedPathsCe.OutputSize];
        for (int s = 0; s < 16; s++)
        {
            targets[s * MixedPathsCe.OutputSize + s % MixedPathsCe.OutputSize] = 1f;
        }

        SteadyStateAllocation.AssertNone(
            () =>
            {
                network.ForwardBatch(workspace, inputs, outputs);
                network.BackwardBatch(workspace, targets);
            },
            1_000,
            "ForwardBatch + BackwardBatch");
    }

    [Fact]
    public void Misused_batches_get_clear_exceptions()
    {
        var network = new XorNet();
        BatchWorkspace workspace = network.CreateWorkspace(4);

        Assert.Throws<InvalidOperationException>(() => network.BackwardBatch(workspace, new float[4]));
        Assert.Contains("at most 4", Assert.Throws<ArgumentException>(() => network.ForwardBatch(workspace, new float[10], new float[5])).Message);
        Assert.Contains("whole rows of 2", Assert.Throws<ArgumentException>(() => network.ForwardBatch(workspace, new float[3], new float[1])).Message);
        Assert.Equal("outputs", Assert.Throws<ArgumentException>(() => network.ForwardBatch(workspace, new float[4], new float[3])).ParamName);
        Assert.Contains("another architecture", Assert.Throws<ArgumentException>(
            () => network.ForwardBatch(new HandWorkedBce().CreateWorkspace(4), new float[4], new float[2])).Message);

        network.ForwardBatch(workspace, new float[6], new float[3]);
        Assert.Contains("3 samples", Assert.Throws<ArgumentException>(() => network.BackwardBatch(workspace, new float[2])).Message);
        Assert.Equal("capacity", Assert.Throws<ArgumentOutOfRangeException>(() => network.CreateWorkspace(0)).ParamName);
    }

    [Theory]
    [InlineData(nameof(DeepVector), 5)]
    [InlineData(nameof(MixedPathsCe), 3)]
    public void Inputs_written_into_the_workspace_give_the_same_outputs_and_gradients_as_copied_ones(string name, int count)
    {
        INetwork network = NetworkCatalog.Create(name);
        var (inputs, targets) = NetworkCatalog.SampleRows(network, count, firstSeed: 70);

        BatchWorkspace copied = network.CreateWorkspace(count + 2);
        var copiedOutputs = new float[count * network.OutputSize];
        network.ForwardBatch(copied, inputs, copiedOutputs);
        network.BackwardBatch(copied, targets);

        BatchWorkspace inPlace = network.CreateWorkspace(count + 2);
        Span<float> rows = inPlace.InputRows(count);
        Assert.Equal(inputs.Length, rows.Length);
        inputs.CopyTo(rows);
        var inPlaceOutputs = new float[count * network.OutputSize];
        network.ForwardBatch(inPlace, rows, inPlaceOutputs);
        network.BackwardBatch(inPlace, targets);

        Assert.Equal(copiedOutputs, inPlaceOutputs);
        Assert.Equal(copied.GradientSpan.ToArray(), inPlace.GradientSpan.ToArray());
        Assert.Equal(inputs, inPlace.InputRows(count).ToArray());
    }

    [Fact]
    public void Input_rows_outside_the_capacity_are_refused()
    {
        BatchWorkspace workspace = new XorNet().CreateWorkspace(4);
        Assert.Equal(8, workspace.InputRows(4).Length);
        Assert.Equal("count", Assert.Throws<ArgumentOutOfRangeException>(() => workspace.InputRows(5)).ParamName);
        Assert.Equal("count", Assert.Throws<ArgumentOutOfRangeException>(() => workspace.InputRows(0)).ParamName);
    }

    public static TheoryData<string, int, bool> NetworksCountsAndCuts()
    {
        var data = new TheoryData<string, int, bool>();
        foreach (string name in NetworkCatalog.AllNames)
        {
            foreach (int count in new[] { 5, 70 })
            {
                data.Add(name, count, true);
                data.Add(name, count, false);
            }
        }

        return data;
    }

    /// <summary>
    /// Every layer cut in two by outputs (and the loss by samples), run pass by pass as threads sharing a workspace
    /// would. Cuts at multiples of 16 start every range on a whole vector, so the results match bit for bit; any
    /// other cut moves some outputs into the scalar tails, which round differently.
    /// </summary>
    [Theory]
    [MemberData(nameof(NetworksCountsAndCuts))]
    public void Split_passes_over_two_ranges_per_layer_give_the_whole_batch_results(string name, int count, bool cutsAtMultiplesOf16)
    {
        INetwork network = NetworkCatalog.Create(name);
        network.InitializeParameters(count);
        var (inputs, targets) = NetworkCatalog.SampleRows(network, count, firstSeed: 90);
        // Convolution and pooling layers compute whole channels, so their cuts fall on the nearest channel boundary.
        int Cut(int size, int channelLength) =>
            Math.Min(size, Math.Max(channelLength, (cutsAtMultiplesOf16 ? Math.Min(size, 16) : size / 3) / channelLength * channelLength));
        int OutputCut(LayerInfo layer) => Cut(layer.OutputShape.Length, ComputesChannels(layer) ? layer.OutputShape.Height * layer.OutputShape.Width : 1);
        int InputCut(LayerInfo layer) => Cut(layer.InputShape.Length, ComputesChannels(layer) ? layer.InputShape.Height * layer.InputShape.Width : 1);

        BatchWorkspace whole = network.CreateWorkspace(count);
        var wholeOutputs = new float[count * network.OutputSize];
        network.ForwardBatch(whole, inputs, wholeOutputs);
        float wholeLoss = network.BackwardBatch(whole, targets);

        BatchWorkspace split = network.CreateWorkspace(count + 3);
        inputs.CopyTo(split.InputRows(count));
        split.Count = count;
        System.Collections.Generic.IReadOnlyList<LayerInfo> layers = network.Layers;
        for (int layer = 0; layer < layers.Count; layer++)
        {
            int outputs = layers[layer].OutputShape.Length;
            network.ForwardLayerBatch(split, layer, OutputCut(layers[layer]), outputs);
            network.ForwardLayerBatch(split, layer, 0, OutputCut(layers[layer]));
        }

        var splitOutputs = new float[count * network.OutputSize];
        float splitLoss = network.OutputLossBatch(split, targets, splitOutputs, count / 2, count)
            + network.OutputLossBatch(split, targets, splitOutputs, 0, count / 2);
        for (int layer = layers.Count - 1; layer >= 0; layer--)
        {
            int outputs = layers[layer].OutputShape.Length, inputsOfLayer = layers[layer].InputShape.Length;
            network.WeightGradientsBatch(split, layer, 0, OutputCut(layers[layer]));
            network.WeightGradientsBatch(split, layer, OutputCut(layers[layer]), outputs);
            if (layer > 0)
            {
                network.InputDeltaBatch(split, layer, InputCut(layers[layer]), inputsOfLayer);
                network.InputDeltaBatch(split, layer, 0, InputCut(layers[layer]));
            }
        }

        Assert.Equal(network.Layers.Count, NetworkCatalog.Create(name).Layers.Count);
        Assert.Equal(network.ParameterCount, layers[^1].ParameterOffset + layers[^1].ParameterCount);
        if (cutsAtMultiplesOf16)
        {
            Assert.Equal(wholeOutputs, splitOutputs);
            Assert.Equal(whole.GradientSpan.ToArray(), split.GradientSpan.ToArray());
        }
        else
        {
            Numeric.AssertClose(wholeOutputs.Select(v => (double)v).ToArray(), splitOutputs, 1e-5, $"{name} × {count} outputs");
            Numeric.AssertClose(whole.GradientSpan.ToArray().Select(v => (double)v).ToArray(), split.GradientSpan.ToArray(), 1e-5, $"{name} × {count} gradients");
        }

        Numeric.AssertClose(new double[] { wholeLoss }, new[] { splitLoss }, 1e-5, $"{name} × {count} loss");
    }

    private static bool ComputesChannels(LayerInfo layer) => layer.Kind is LayerKind.Conv2D or LayerKind.MaxPool2D or LayerKind.AvgPool2D;

    [Fact]
    public void Split_passes_of_convolution_and_pooling_layers_refuse_ranges_inside_a_channel()
    {
        var network = new ConvPoolCe();
        BatchWorkspace workspace = network.CreateWorkspace(2);
        network.ForwardBatch(workspace, new float[2 * ConvPoolCe.InputSize], new float[2 * ConvPoolCe.OutputSize]);

        // Layer 0 writes 3 channels of 6×6, layer 1 reads them: a range must start and end on a multiple of 36.
        Assert.Contains("multiples of 36", Assert.Throws<ArgumentException>(() => network.ForwardLayerBatch(workspace, 0, 0, 35)).Message);
        Assert.Contains("multiples of 36", Assert.Throws<ArgumentException>(() => network.WeightGradientsBatch(workspace, 0, 36, 100)).Message);
        Assert.Contains("multiples of 36", Assert.Throws<ArgumentException>(() => network.InputDeltaBatch(workspace, 1, 1, 108)).Message);
        network.ForwardLayerBatch(workspace, 0, 36, 108);
    }

    [Fact]
    public void Split_passes_refuse_missing_layers_ranges_outside_them_and_an_empty_workspace()
    {
        var network = new MixedPathsCe();
        BatchWorkspace workspace = network.CreateWorkspace(4);

        Assert.Contains("set Count", Assert.Throws<InvalidOperationException>(() => network.ForwardLayerBatch(workspace, 0, 0, 33)).Message);
        workspace.Count = 4;
        Assert.Equal("layer", Assert.Throws<ArgumentOutOfRangeException>(() => network.ForwardLayerBatch(workspace, 2, 0, 1)).ParamName);
        Assert.Equal("layer", Assert.Throws<ArgumentOutOfRangeException>(() => network.WeightGradientsBatch(workspace, -1, 0, 1)).ParamName);
        Assert.Contains("inputs need no", Assert.Throws<ArgumentOutOfRangeException>(() => network.InputDeltaBatch(workspace, 0, 0, 1)).Message, StringComparison.Ordinal);
        Assert.Contains("of the 33 outputs", Assert.Throws<ArgumentOutOfRangeException>(() => network.ForwardLayerBatch(workspace, 0, 0, 34)).Message);
        Assert.Contains("[5, 4)", Assert.Throws<ArgumentOutOfRangeException>(() => network.WeightGradientsBatch(workspace, 1, 5, 4)).Message);
        Assert.Contains("of the 4 samples", Assert.Throws<ArgumentOutOfRangeException>(
            () => network.OutputLossBatch(workspace, new float[40], new float[40], 0, 5)).Message);
        Assert.Equal("outputs", Assert.Throws<ArgumentException>(() => network.OutputLossBatch(workspace, new float[40], new float[30], 0, 4)).ParamName);
        Assert.Equal("value", Assert.Throws<ArgumentOutOfRangeException>(() => workspace.Count = 5).ParamName);
        Assert.Contains("another architecture", Assert.Throws<ArgumentException>(() => new DeepVector().ForwardLayerBatch(workspace, 0, 0, 1)).Message);
    }
}
