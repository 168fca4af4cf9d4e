using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NetGen.Tests.Networks;
using Xunit;

namespace NetGen.Tests;

public class AlignedBufferTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(17)]
    [InlineData(1000)]
    [InlineData(101_770)]
    public void Element_zero_sits_on_a_cache_line_boundary(int length)
    {
        // Small and large arrays land at different offsets from a line; allocate several so that both kinds are seen.
        for (int i = 0; i < 8; i++)
        {
            var buffer = new AlignedBuffer(length + i);
            Assert.Equal(length + i, buffer.Span.Length);
            Assert.Equal(0, AddressOf(buffer.Span) % AlignedBuffer.Alignment);
        }
    }

    [Fact]
    public void A_new_buffer_is_zero_and_clear_zeroes_it_again()
    {
        var buffer = new AlignedBuffer(40);
        Assert.All(buffer.Span.ToArray(), value => Assert.Equal(0f, value));
        buffer.Span.Fill(3f);
        buffer.Clear();
        Assert.All(buffer.Span.ToArray(), value => Assert.Equal(0f, value));
    }

    [Fact]
    public void Slices_address_the_same_floats_as_the_whole_span()
    {
        var buffer = new AlignedBuffer(10);
        buffer.Slice(3, 4).Fill(7f);
        Assert.Equal(new float[] { 0, 0, 0, 7, 7, 7, 7, 0, 0, 0 }, buffer.Span.ToArray());
        Assert.Equal(new float[] { 7, 7, 0 }, buffer.ReadOnlySlice(5, 3).ToArray());
        Assert.True(buffer.Slice(10, 0).IsEmpty);
    }

    [Theory]
    [InlineData(-1, 1)]
    [InlineData(0, 11)]
    [InlineData(10, 1)]
    [InlineData(5, -1)]
    [InlineData(int.MaxValue, 2)]
    public void A_slice_outside_the_buffer_is_refused_with_the_range_named(int start, int length)
    {
        var buffer = new AlignedBuffer(10);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Slice(start, length));
        Assert.Contains("10 floats", error.Message);
    }

    [Fact]
    public void A_negative_length_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new AlignedBuffer(-1));
    }

    [Fact]
    public void Generated_parameters_and_workspace_gradients_start_on_a_cache_line()
    {
        var network = new DeepVector();
        BatchWorkspace workspace = network.CreateWorkspace(3);
        Assert.Equal(0, AddressOf(network.Parameters) % AlignedBuffer.Alignment);
        Assert.Equal(0, AddressOf(network.Gradients) % AlignedBuffer.Alignment);
        Assert.Equal(0, AddressOf(workspace.GradientSpan) % AlignedBuffer.Alignment);
        Assert.Equal(DeepVector.ParameterCount, workspace.GradientSpan.Length);
    }

    private static unsafe long AddressOf(Span<float> span) => (long)Unsafe.AsPointer(ref MemoryMarshal.GetReference(span));
}
