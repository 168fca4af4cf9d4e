namespace NetGen.Generator.Model;

/// <summary>
/// The number type a network computes in, as the C# names the emitters write. Every emitter takes its names from here
/// instead of writing <c>float</c>, so a <c>double</c> network needs a second instance and its runtime kernels, not an
/// emitter rewrite.
/// </summary>
/// <param name="Keyword">The C# keyword, e.g. <c>float</c>.</param>
/// <param name="LiteralSuffix">The suffix of a literal of the type, e.g. <c>f</c> in <c>2f</c>.</param>
/// <param name="Math">The class of its scalar functions, e.g. <c>global::System.MathF</c>.</param>
internal sealed record ElementType(string Keyword, string LiteralSuffix, string Math)
{
    public static readonly ElementType Single = new("float", "f", "global::System.MathF");

    public string Span => $"global::System.Span<{Keyword}>";

    public string ReadOnlySpan => $"global::System.ReadOnlySpan<{Keyword}>";

    /// <summary>A literal of the type: <c>Literal("2")</c> is <c>2f</c>.</summary>
    public string Literal(string digits) => digits + LiteralSuffix;
}
