using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NetGen.Generator;

namespace NetGen.Testing;

/// <summary>
/// Runs the NetGen generator in memory, as the compiler does at build time, and returns what it wrote: the input of a
/// snapshot test. <see cref="Run(string, LanguageVersion?)"/> takes a network declaration;
/// <see cref="Run(Compilation)"/> takes a compilation you built, e.g. of your own project's files.
/// </summary>
public static class GeneratedSource
{
    /// <summary>The path the declaration's syntax tree gets in <see cref="CreateCompilation"/>.</summary>
    public const string DeclarationPath = "Network.cs";

    private static readonly Regex GeneratorVersion = new(@"GeneratedCode\(""NetGen\.Generator"", ""[^""]*""\)", RegexOptions.CultureInvariant);

    /// <summary>
    /// The references of <see cref="CreateCompilation"/>: the <c>System.*</c>, <c>mscorlib</c> and <c>netstandard</c>
    /// assemblies of the running .NET (the test process's), and the NetGen runtime library loaded in it.
    /// </summary>
    public static ImmutableArray<MetadataReference> References { get; } =
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(path => Path.GetFileName(path).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(path) is "mscorlib.dll" or "netstandard.dll")
            .Append(typeof(INetwork).Assembly.Location)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray();

    /// <summary>
    /// A library compilation of <paramref name="declaration"/> (one file, <see cref="DeclarationPath"/>) against
    /// <see cref="References"/>: nullable enabled, every warning level on, no unsafe code.
    /// </summary>
    /// <param name="declaration">C# source with one or more <c>[Network]</c> classes.</param>
    /// <param name="languageVersion">The C# version to parse it with; the latest this Roslyn knows by default.</param>
    public static CSharpCompilation CreateCompilation(string declaration, LanguageVersion? languageVersion = null)
    {
        ArgumentNullException.ThrowIfNull(declaration);
        var options = CSharpParseOptions.Default.WithLanguageVersion(languageVersion ?? LanguageVersion.Latest);
        return CSharpCompilation.Create(
            "NetworkAssembly",
            new[] { CSharpSyntaxTree.ParseText(declaration, options, DeclarationPath) },
            References,
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                warningLevel: 9999,
                allowUnsafe: false));
    }

    /// <summary>Runs the generator over <paramref name="declaration"/> compiled by <see cref="CreateCompilation"/>.</summary>
    /// <param name="declaration">C# source with one or more <c>[Network]</c> classes, with its <c>using NetGen;</c>.</param>
    /// <param name="languageVersion">The C# version to parse it with; the latest this Roslyn knows by default.</param>
    public static GenerationResult Run(string declaration, LanguageVersion? languageVersion = null) =>
        Run(CreateCompilation(declaration, languageVersion), new NetworkGenerator());

    /// <summary>
    /// Runs the generator over a C# compilation you built: your project's files, references and target framework.
    /// The generated files are parsed with the options of the compilation's first syntax tree.
    /// </summary>
    /// <exception cref="ArgumentException">The compilation is not C#.</exception>
    public static GenerationResult Run(Compilation compilation) => Run(compilation, new NetworkGenerator());

    /// <summary>
    /// Replaces the generator version in the <c>[GeneratedCode]</c> attributes with <c>{version}</c>, so that a
    /// snapshot changes when NetGen's output does, not whenever its version does. Works on a file or on one line (for
    /// Verify: <c>VerifierSettings.ScrubLinesWithReplace(GeneratedSource.ScrubVersion)</c>).
    /// </summary>
    public static string ScrubVersion(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return GeneratorVersion.Replace(source, @"GeneratedCode(""NetGen.Generator"", ""{version}"")");
    }

    /// <summary>Runs <paramref name="generator"/> (the project's tests pass one with a failing emitter).</summary>
    internal static GenerationResult Run(Compilation compilation, NetworkGenerator generator)
    {
        ArgumentNullException.ThrowIfNull(compilation);
        if (compilation is not CSharpCompilation)
        {
            throw new ArgumentException($"NetGen generates C#; this is a {compilation.Language} compilation.", nameof(compilation));
        }

        var parseOptions = compilation.SyntaxTrees.FirstOrDefault()?.Options as CSharpParseOptions ?? CSharpParseOptions.Default;
        GeneratorDriver driver = CreateDriver(parseOptions, trackSteps: false, generator)
            .RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _);
        return new GenerationResult(driver, output);
    }

    /// <summary>A driver for NetGen alone, as the compiler creates it; the project's incrementality tests track steps.</summary>
    internal static GeneratorDriver CreateDriver(CSharpParseOptions parseOptions, bool trackSteps, NetworkGenerator generator) =>
        CSharpGeneratorDriver.Create(
            new[] { generator.AsSourceGenerator() },
            parseOptions: parseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>The errors and warnings of a compilation, in the compiler's order.</summary>
    internal static ImmutableArray<Diagnostic> WarningsAndErrors(Compilation compilation) =>
        compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToImmutableArray();
}
