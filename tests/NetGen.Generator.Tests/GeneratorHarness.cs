using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NetGen.Testing;

namespace NetGen.Generator.Tests;

/// <summary>
/// The tests' short forms of <see cref="GeneratedSource"/>, the library users snapshot their networks with, so that
/// the project's own tests run the generator exactly as theirs do; plus the hooks only these tests need (a replaced
/// emitter, other references, tracked incremental steps).
/// </summary>
internal static class GeneratorHarness
{
    public static CSharpParseOptions ParseOptions(LanguageVersion version = LanguageVersion.Latest) =>
        CSharpParseOptions.Default.WithLanguageVersion(version);

    public static CSharpCompilation Compilation(string source, CSharpParseOptions? options = null) =>
        GeneratedSource.CreateCompilation(source, (options ?? ParseOptions()).LanguageVersion);

    public static GeneratorDriver Driver(CSharpParseOptions? options = null, bool trackSteps = false, NetworkGenerator? generator = null) =>
        GeneratedSource.CreateDriver(options ?? ParseOptions(), trackSteps, generator ?? new NetworkGenerator());

    /// <summary>Runs the generator; returns the result, and the compilation with the generated code.</summary>
    public static (GeneratorDriverRunResult Result, Compilation Output) Run(
        string source, CSharpParseOptions? options = null, NetworkGenerator? generator = null, IEnumerable<MetadataReference>? references = null)
    {
        CSharpCompilation input = Compilation(source, options);
        if (references is not null)
        {
            input = input.WithReferences(references);
        }

        GenerationResult run = GeneratedSource.Run(input, generator ?? new NetworkGenerator());
        return (run.RunResult, run.OutputCompilation);
    }

    /// <summary>The compiler's errors and warnings on the output, as <see cref="GenerationResult.CompilerDiagnostics"/>.</summary>
    public static ImmutableArray<Diagnostic> CompilerProblems(Compilation output) => GeneratedSource.WarningsAndErrors(output);
}
