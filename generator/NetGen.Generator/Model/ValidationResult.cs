using NetGen.Generator.Helpers;

namespace NetGen.Generator.Model;

/// <summary>A valid network's spec, or null, together with every diagnostic found.</summary>
internal sealed record ValidationResult(NetworkSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics);
