using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace NetGen.Generator.Model;

/// <summary>Where a piece of a declaration sits, kept only to place diagnostics.</summary>
internal readonly record struct SourceSpan(SyntaxTree? Tree, TextSpan Span)
{
    public static SourceSpan Of(SyntaxNode? node) => node is null ? default : new(node.SyntaxTree, node.Span);

    public static SourceSpan Of(Location? location) =>
        location is { IsInSource: true } ? new(location.SourceTree, location.SourceSpan) : default;
}
