namespace NetGen.Testing;

/// <summary>One file the generator added to the compilation.</summary>
/// <param name="HintName">Its name, <c>{FullyQualifiedMetadataName}.g.cs</c>, e.g. <c>Samples.Xor.XorNet.g.cs</c>.</param>
/// <param name="Source">Its text, exactly as generated.</param>
public sealed record GeneratedFile(string HintName, string Source);
