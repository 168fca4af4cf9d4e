using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace NetGen.Testing;

/// <summary>
/// What one run of the generator produced: the files (for a plain comparison or Snapshooter), the driver (for
/// Verify.SourceGenerators' <c>Verify(result.Driver)</c>), the generator's NG diagnostics and the compiler's.
/// </summary>
public sealed class GenerationResult
{
    private readonly Lazy<ImmutableArray<Diagnostic>> compilerDiagnostics;

    internal GenerationResult(GeneratorDriver driver, Compilation outputCompilation)
    {
        Driver = driver;
        OutputCompilation = outputCompilation;
        RunResult = driver.GetRunResult();
        Files = RunResult.Results
            .SelectMany(result => result.GeneratedSources)
            .Select(source => new GeneratedFile(source.HintName, source.SourceText.ToString()))
            .OrderBy(file => file.HintName, StringComparer.Ordinal)
            .ToArray();
        compilerDiagnostics = new(() => GeneratedSource.WarningsAndErrors(outputCompilation), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>
    /// One file per valid network, ordered by hint name (ordinal), as Verify.SourceGenerators orders them. A list, not
    /// an <see cref="ImmutableArray{T}"/>, so that two runs' files compare equal by content in any assertion library.
    /// </summary>
    public IReadOnlyList<GeneratedFile> Files { get; }

    /// <summary>The generator's diagnostics (IDs <c>NG0001</c>…); a network with one gets no file.</summary>
    public ImmutableArray<Diagnostic> GeneratorDiagnostics => RunResult.Diagnostics;

    /// <summary>
    /// The compiler's errors and warnings on <see cref="OutputCompilation"/>: the generated code, and the input's own
    /// (an argument the compiler cannot bind is reported here, not by the generator). Computed on first read.
    /// </summary>
    public ImmutableArray<Diagnostic> CompilerDiagnostics => compilerDiagnostics.Value;

    /// <summary>The driver after the run: what <c>Verify(result.Driver)</c> of Verify.SourceGenerators takes.</summary>
    public GeneratorDriver Driver { get; }

    /// <summary>The driver's run result: generated trees, diagnostics and any exception, per generator.</summary>
    public GeneratorDriverRunResult RunResult { get; }

    /// <summary>The input compilation with the generated files added.</summary>
    public Compilation OutputCompilation { get; }
}
