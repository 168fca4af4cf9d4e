using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using NetGen.Generator.Helpers;

namespace NetGen.Generator.Model;

/// <summary>
/// A diagnostic as data: which descriptor, where, with which message arguments. The syntax tree is kept (compared by
/// reference) so that the diagnostic lands on real source and IDEs can underline it; it never reaches the emitter.
/// </summary>
internal sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, SyntaxTree? Tree, TextSpan Span, EquatableArray<string> Arguments)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, SourceSpan where, params string[] arguments) =>
        new(descriptor, where.Tree, where.Span, new EquatableArray<string>(arguments));

    public Diagnostic ToDiagnostic() =>
        Diagnostic.Create(Descriptor, Tree is null ? Location.None : Location.Create(Tree, Span), Arguments.AsSpan().ToArray());
}
