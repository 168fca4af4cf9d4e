using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace NetGen.Generator.Tests;

/// <summary>Runs <see cref="NetworkGenerator"/> over source text the way the compiler does.</summary>
internal static class GeneratorHarness
{
    private static readonly ImmutableArray<MetadataReference> References =
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(path => Path.GetFileName(path).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(path) is "mscorlib.dll" or "netstandard.dll")
            .Append(typeof(NetGen.INetwork).Assembly.Location)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray();

    public static CSharpParseOptions ParseOptions(LanguageVersion version = LanguageVersion.Latest) =>
        CSharpParseOptions.Default.WithLanguageVersion(version);

    public static CSharpCompilation Compilation(string source, CSharpParseOptions? options = null, string path = "Network.cs") =>
        CSharpCompilation.Create(
            "NetworkAssembly",
            new[] { CSharpSyntaxTree.ParseText(source, options ?? ParseOptions(), path) },
            References,
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                warningLevel: 9999,
                allowUnsafe: false));

    public static GeneratorDriver Driver(CSharpParseOptions? options = null, bool trackSteps = false, NetworkGenerator? generator = null) =>
        CSharpGeneratorDriver.Create(
            new[] { (generator ?? new NetworkGenerator()).AsSourceGenerator() },
            parseOptions: options ?? ParseOptions(),
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>Runs the generator; returns the result, the compilation with the generated code, and its diagnostics.</summary>
    public static (GeneratorDriverRunResult Result, Compilation Output) Run(
        string source, CSharpParseOptions? options = null, NetworkGenerator? generator = null, IEnumerable<MetadataReference>? references = null)
    {
        CSharpCompilation input = Compilation(source, options);
        if (references is not null)
        {
            input = input.WithReferences(references);
        }

        GeneratorDriver driver = Driver(options, generator: generator).RunGeneratorsAndUpdateCompilation(input, out Compilation output, out _);
        return (driver.GetRunResult(), output);
    }

    /// <summary>The generator's diagnostics, and the compiler's errors and warnings on the generated output.</summary>
    public static ImmutableArray<Diagnostic> CompilerProblems(Compilation output) =>
        output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToImmutableArray();
}
