using System;
using NetGen.Kernels;
using Xunit;

namespace NetGen.Tests.Kernels;

/// <summary>
/// Inverted dropout: the kept fraction and scale, masks that depend only on (key, batch row, element) whatever the split,
/// the identity in evaluation, the backward product, allocation and argument checks.
/// </summary>
public class DropoutKernelTests
{
    [Theory]
    [InlineData(0.1f)]
    [InlineData(0.5f)]
    [InlineData(0.9f)]
    public void Kept_fraction_is_one_minus_the_rate_within_five_standard_deviations_and_kept_values_are_scaled(float rate)
    {
        const int count = 40, length = 2500;
        float[] inputs = KernelReference.Random(count * length, 1);
        float[] outputs = new float[inputs.Length], masks = new float[inputs.Length];
        DropoutKernels.TrainingForwardBatch(inputs, outputs, masks, rate, key: 12345, firstRow: 0, count, length, 0, length);

        float scale = 1f / (1f - rate);
        int kept = 0;
        for (int j = 0; j < masks.Length; j++)
        {
            Assert.True(masks[j] == 0f || masks[j] == scale, $"mask {masks[j]} at [{j}] is neither 0 nor {scale}");
            Assert.Equal(inputs[j] * masks[j], outputs[j]);
            kept += masks[j] == 0f ? 0 : 1;
        }

        double n = masks.Length, p = 1 - rate;
        double deviation = Math.Sqrt(n * p * (1 - p));
        Assert.InRange(kept, n * p - 5 * deviation, n * p + 5 * deviation);
    }

    [Fact]
    public void Rate_zero_keeps_everything_unscaled()
    {
        float[] inputs = KernelReference.Random(300, 1), outputs = new float[300], masks = new float[300];
        DropoutKernels.TrainingForwardBatch(inputs, outputs, masks, 0f, 7, 0, 3, 100, 0, 100);
        Assert.All(masks, m => Assert.Equal(1f, m));
        Assert.Equal(inputs, outputs);
    }

    [Fact]
    public void Same_key_gives_the_same_masks_however_the_rows_and_elements_are_split()
    {
        const int count = 13, length = 37;
        const ulong key = 0xDEADBEEF;
        float[] inputs = KernelReference.Random(count * length, 1);
        float[] wholeOutputs = new float[inputs.Length], wholeMasks = new float[inputs.Length];
        DropoutKernels.TrainingForwardBatch(inputs, wholeOutputs, wholeMasks, 0.5f, key, 0, count, length, 0, length);

        // Rows [0, 5) in one call and [5, 13) in another, as two workspaces would hold them, the second split by elements.
        float[] splitOutputs = new float[inputs.Length], splitMasks = new float[inputs.Length];
        DropoutKernels.TrainingForwardBatch(inputs.AsSpan(0, 5 * length), splitOutputs.AsSpan(0, 5 * length), splitMasks.AsSpan(0, 5 * length), 0.5f, key, 0, 5, length, 0, length);
        Span<float> tailInputs = inputs.AsSpan(5 * length), tailOutputs = splitOutputs.AsSpan(5 * length), tailMasks = splitMasks.AsSpan(5 * length);
        DropoutKernels.TrainingForwardBatch(tailInputs, tailOutputs, tailMasks, 0.5f, key, 5, 8, length, 20, length);
        DropoutKernels.TrainingForwardBatch(tailInputs, tailOutputs, tailMasks, 0.5f, key, 5, 8, length, 0, 20);

        Assert.Equal(wholeMasks, splitMasks);
        Assert.Equal(wholeOutputs, splitOutputs);
    }

    [Fact]
    public void Different_keys_and_rows_draw_different_masks()
    {
        const int length = 256;
        float[] inputs = new float[2 * length], outputs = new float[2 * length];
        float[] first = new float[2 * length], second = new float[2 * length];
        DropoutKernels.TrainingForwardBatch(inputs, outputs, first, 0.5f, 1, 0, 2, length, 0, length);
        DropoutKernels.TrainingForwardBatch(inputs, outputs, second, 0.5f, 2, 0, 2, length, 0, length);
        Assert.NotEqual(first, second);
        Assert.NotEqual(first[..length], first[length..]);
    }

    [Fact]
    public void Evaluation_is_exactly_the_identity_with_masks_of_one_in_its_range()
    {
        const int count = 3, length = 10;
        float[] inputs = KernelReference.Random(count * length, 1);
        float[] outputs = new float[inputs.Length], masks = new float[inputs.Length];
        Array.Fill(outputs, -5f);
        Array.Fill(masks, -5f);
        DropoutKernels.EvaluationForwardBatch(inputs, outputs, masks, count, length, 2, 9);
        for (int j = 0; j < inputs.Length; j++)
        {
            bool inside = j % length >= 2 && j % length < 9;
            Assert.Equal(inside ? inputs[j] : -5f, outputs[j]);
            Assert.Equal(inside ? 1f : -5f, masks[j]);
        }
    }

    [Fact]
    public void Input_delta_is_the_delta_times_the_mask_in_its_range()
    {
        const int count = 4, length = 37;
        float[] deltas = KernelReference.Random(count * length, 1), inputs = KernelReference.Random(count * length, 2);
        float[] outputs = new float[inputs.Length], masks = new float[inputs.Length], inputDeltas = new float[inputs.Length];
        DropoutKernels.TrainingForwardBatch(inputs, outputs, masks, 0.3f, 9, 0, count, length, 0, length);
        Array.Fill(inputDeltas, 3f);
        DropoutKernels.InputDeltaBatch(deltas, masks, inputDeltas, count, length, 1, 36);
        for (int j = 0; j < deltas.Length; j++)
        {
            bool inside = j % length >= 1 && j % length < 36;
            Assert.Equal(inside ? deltas[j] * masks[j] : 3f, inputDeltas[j]);
        }
    }

    [Fact]
    public void Passes_allocate_nothing()
    {
        const int count = 8, length = 400;
        float[] inputs = KernelReference.Random(count * length, 1), outputs = new float[inputs.Length], masks = new float[inputs.Length];
        float[] inputDeltas = new float[inputs.Length];
        SteadyStateAllocation.AssertNone(() => DropoutKernels.TrainingForwardBatch(inputs, outputs, masks, 0.5f, 3, 16, count, length, 0, length), 20, "TrainingForwardBatch");
        SteadyStateAllocation.AssertNone(() => DropoutKernels.EvaluationForwardBatch(inputs, outputs, masks, count, length, 0, length), 20, "EvaluationForwardBatch");
        SteadyStateAllocation.AssertNone(() => DropoutKernels.InputDeltaBatch(inputs, masks, inputDeltas, count, length, 3, length), 20, "InputDeltaBatch");
    }

    [Theory]
    [InlineData(-0.1f)]
    [InlineData(1f)]
    [InlineData(1.5f)]
    [InlineData(float.NaN)]
    public void Rate_outside_zero_to_one_throws(float rate)
    {
        float[] values = new float[4];
        Assert.Equal("rate", Assert.Throws<ArgumentOutOfRangeException>(() => DropoutKernels.TrainingForwardBatch(values, values, values, rate, 1, 0, 2, 2, 0, 2)).ParamName);
    }

    [Fact]
    public void Short_spans_negative_sizes_and_bad_ranges_throw_naming_the_parameter()
    {
        float[] values = new float[6], shorter = new float[5];
        Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => DropoutKernels.TrainingForwardBatch(shorter, values, values, 0.5f, 1, 0, 2, 3, 0, 3)).ParamName);
        Assert.Equal("masks", Assert.Throws<ArgumentException>(() => DropoutKernels.TrainingForwardBatch(values, values, shorter, 0.5f, 1, 0, 2, 3, 0, 3)).ParamName);
        Assert.Equal("firstRow", Assert.Throws<ArgumentException>(() => DropoutKernels.TrainingForwardBatch(values, values, values, 0.5f, 1, -1, 2, 3, 0, 3)).ParamName);
        Assert.Equal("end", Assert.Throws<ArgumentException>(() => DropoutKernels.TrainingForwardBatch(values, values, values, 0.5f, 1, 0, 2, 3, 0, 4)).ParamName);
        Assert.Equal("outputs", Assert.Throws<ArgumentException>(() => DropoutKernels.EvaluationForwardBatch(values, shorter, values, 2, 3, 0, 3)).ParamName);
        Assert.Equal("length", Assert.Throws<ArgumentException>(() => DropoutKernels.EvaluationForwardBatch(values, values, values, 2, -3, 0, 0)).ParamName);
        Assert.Equal("first", Assert.Throws<ArgumentException>(() => DropoutKernels.InputDeltaBatch(values, values, values, 2, 3, 2, 1)).ParamName);
        Assert.Equal("inputDeltas", Assert.Throws<ArgumentException>(() => DropoutKernels.InputDeltaBatch(values, values, shorter, 2, 3, 0, 3)).ParamName);
        Assert.Equal("count", Assert.Throws<ArgumentException>(() => DropoutKernels.InputDeltaBatch(values, values, values, -2, 3, 0, 3)).ParamName);
    }
}
