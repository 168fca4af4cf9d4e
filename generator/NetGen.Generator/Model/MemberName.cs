namespace NetGen.Generator.Model;

/// <summary>A member the user declared in the network type, with where, to report true clashes with generated members.</summary>
/// <param name="Name">The member's name.</param>
/// <param name="Location">Where it is declared.</param>
/// <param name="Signature">
/// For an ordinary method, its type-parameter count and parameter types as <see cref="GeneratedNames.Signature"/> writes
/// them, e.g. <c>`0(global::System.ReadOnlySpan&lt;float&gt;,global::System.Span&lt;float&gt;)</c>; null for any other member.
/// </param>
internal sealed record MemberName(string Name, SourceSpan Location, string? Signature);
