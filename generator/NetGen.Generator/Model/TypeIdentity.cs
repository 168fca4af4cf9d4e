using NetGen.Generator.Helpers;

namespace NetGen.Generator.Model;

/// <summary>
/// The network type flattened to strings: its namespace, the declarations of the types around it (written back out as
/// partial parents), its keyword and name, and the metadata name that names the generated file.
/// </summary>
/// <param name="Namespace">The namespace, or empty for the global namespace.</param>
/// <param name="ContainingTypes">Outermost first, e.g. <c>partial class Outer</c>.</param>
/// <param name="Keyword">How the type is declared: <c>class</c> or <c>record</c>.</param>
/// <param name="Name">The type name.</param>
/// <param name="MetadataName">The fully qualified metadata name, e.g. <c>Samples.Outer+XorNet</c>.</param>
internal sealed record TypeIdentity(string Namespace, EquatableArray<string> ContainingTypes, string Keyword, string Name, string MetadataName);
