namespace NetGen.Generator.Model;

/// <summary>A member the user declared in the network class, with where, to report clashes with generated members.</summary>
internal sealed record MemberName(string Name, SourceSpan Location);
