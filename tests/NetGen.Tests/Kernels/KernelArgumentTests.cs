using System;
using NetGen.Kernels;
using Xunit;

namespace NetGen.Tests.Kernels;

/// <summary>The kernels' cheap argument checks name the parameter at fault instead of reading or writing out of bounds.</summary>
public class KernelArgumentTests
{
    [Fact]
    public void Short_spans_negative_sizes_and_bad_ranges_throw_naming_the_parameter()
    {
        float[] x = new float[2 * 3], w = new float[3 * 5], b = new float[5], a = new float[2 * 5];
        Assert.Equal("w", Assert.Throws<ArgumentException>(() => DenseKernels.Forward<ReLUActivation>(x, w.AsSpan(1), b, a, 3, 5)).ParamName);
        Assert.Equal("a", Assert.Throws<ArgumentException>(() => DenseKernels.Forward<ReLUActivation>(x, w, b, a.AsSpan(0, 4), 3, 5)).ParamName);
        Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => DenseKernels.Forward<ReLUActivation>(x, w, b, a, -1, 5)).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => DenseKernels.ForwardBatch<TanhActivation>(x, w, b, a, 3, 3, 5, 0, 5)).ParamName);
        Assert.Equal("endOutput", Assert.Throws<ArgumentException>(() => DenseKernels.ForwardBatch<TanhActivation>(x, w, b, a, 2, 3, 5, 0, 6)).ParamName);
        Assert.Equal("firstOutput", Assert.Throws<ArgumentException>(() => DenseKernels.ForwardBatchTransposed<IdentityActivation>(x, w, b, a, 2, 3, 5, 4, 3)).ParamName);
        Assert.Equal("count", Assert.Throws<ArgumentException>(() => DenseKernels.WeightGradientsBatch(x, a, w, b, -2, 3, 5, 0, 5)).ParamName);
        Assert.Equal("biasGradients", Assert.Throws<ArgumentException>(() => DenseKernels.WeightGradientsBatch(x, a, w, b.AsSpan(1), 2, 3, 5, 0, 5)).ParamName);
        Assert.Equal("inputDelta", Assert.Throws<ArgumentException>(() => DenseKernels.InputDeltaBatch(a, w, x.AsSpan(1), 2, 3, 5, 0, 3)).ParamName);
        Assert.Equal("transposedWeights", Assert.Throws<ArgumentException>(() => DenseKernels.InputDeltaBatchTransposed(a, w.AsSpan(2), x, 2, 3, 5, 0, 3)).ParamName);
        Assert.Equal("endInput", Assert.Throws<ArgumentException>(() => DenseKernels.Transpose(w, new float[15], 3, 5, 0, 4, 0, 5)).ParamName);
        Assert.Equal("w", Assert.Throws<ArgumentException>(() => DenseKernels.Backward(x, w.AsSpan(1), b, w, b, x, 3, 5)).ParamName);
        Assert.Equal("activations", Assert.Throws<ArgumentException>(() => ActivationKernels.MultiplyByDerivative<SigmoidActivation>(b.AsSpan(1), b)).ParamName);
        Assert.Equal("end", Assert.Throws<ArgumentException>(() => ActivationKernels.MultiplyByDerivative<SigmoidActivation>(a, a, 2, 5, 0, 6)).ParamName);
    }

    [Fact]
    public void Backward_without_an_input_delta_needs_no_weights()
    {
        float[] x = { 1f, 2f }, delta = { 0.5f }, weightGradients = new float[2], biasGradients = new float[1];
        DenseKernels.Backward(x, ReadOnlySpan<float>.Empty, delta, weightGradients, biasGradients, Span<float>.Empty, 2, 1);
        Assert.Equal(new[] { 0.5f, 1f }, weightGradients);
        Assert.Equal(new[] { 0.5f }, biasGradients);
    }
}
