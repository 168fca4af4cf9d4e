using System.Linq;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>Dropout rates that are constants but not ordinary literals.</summary>
public class DropoutRateTests
{
    [Theory]
    [InlineData("float.NaN")]
    [InlineData("double.NaN")]
    [InlineData("0f / 0f")]
    public void A_NaN_rate_is_reported_as_NG0022_not_dropped_silently(string rate)
    {
        var (result, _) = GeneratorHarness.Run(
            $"using NetGen;\n[Network(Loss.MeanSquaredError)] [Input(4)] [Dropout({rate})] [Dense(1, Activation.Identity)] public partial class Net {{ }}\n");

        Assert.Equal(new[] { "NG0022" }, result.Diagnostics.Select(d => d.Id));
        Assert.Empty(result.GeneratedTrees);
    }

    [Theory]
    [InlineData("float.PositiveInfinity")]
    [InlineData("float.NegativeInfinity")]
    [InlineData("double.MaxValue")]
    public void An_infinite_rate_is_reported_as_NG0022(string rate)
    {
        var (result, _) = GeneratorHarness.Run(
            $"using NetGen;\n[Network(Loss.MeanSquaredError)] [Input(4)] [Dropout({rate})] [Dense(1, Activation.Identity)] public partial class Net {{ }}\n");

        Assert.Equal(new[] { "NG0022" }, result.Diagnostics.Select(d => d.Id));
        Assert.Empty(result.GeneratedTrees);
    }
}
