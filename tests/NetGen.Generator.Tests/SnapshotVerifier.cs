using System;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using DiffPlex.Renderer;
using Microsoft.CodeAnalysis;
using Xunit.Sdk;

namespace NetGen.Generator.Tests;

/// <summary>
/// Snapshot checks with Verify.SourceGenerators' conventions, so that moving to Verify later changes one line:
/// each generated file is compared with <c>{Class}.{Method}#{HintName}.verified.cs</c> beside the test file, whose
/// first line is <c>//HintName: {HintName}</c>; files are taken in hint-name order; the generator version is scrubbed.
/// A mismatch writes <c>.received.cs</c> beside it and fails with a unified diff; accept it by renaming.
/// </summary>
internal static class SnapshotVerifier
{
    private static readonly Regex GeneratorVersion = new(@"GeneratedCode\(""NetGen\.Generator"", ""[^""]*""\)");

    public static void Verify(GeneratorDriverRunResult result, [CallerFilePath] string testFile = "", [CallerMemberName] string method = "")
    {
        string directory = Path.GetDirectoryName(testFile)!;
        string prefix = Path.GetFileNameWithoutExtension(testFile) + "." + method;
        var generated = result.Results.SelectMany(r => r.GeneratedSources).OrderBy(s => s.HintName, StringComparer.Ordinal).ToList();
        if (generated.Count == 0)
        {
            throw new XunitException($"{prefix}: the generator produced no source; diagnostics: {string.Join("; ", result.Diagnostics)}");
        }

        var failures = new StringBuilder();
        foreach (GeneratedSourceResult source in generated)
        {
            string text = "//HintName: " + source.HintName + "\n" + Scrub(source.SourceText.ToString());
            string verifiedPath = Path.Combine(directory, $"{prefix}#{source.HintName.Replace(".cs", "", StringComparison.Ordinal)}.verified.cs");
            string receivedPath = Path.ChangeExtension(verifiedPath, null)[..^".verified".Length] + ".received.cs";
            string? verified = File.Exists(verifiedPath) ? File.ReadAllText(verifiedPath).ReplaceLineEndings("\n") : null;
            if (verified == text)
            {
                File.Delete(receivedPath);
                continue;
            }

            File.WriteAllText(receivedPath, text);
            failures.AppendLine(verified is null
                ? $"No snapshot {Path.GetFileName(verifiedPath)} yet; review {Path.GetFileName(receivedPath)} and rename it to accept it."
                : $"{Path.GetFileName(verifiedPath)} differs; the new output is in {Path.GetFileName(receivedPath)}:\n"
                  + new UnidiffRenderer().Generate(verified, text, "verified", "received"));
        }

        if (failures.Length > 0)
        {
            throw new XunitException(failures.ToString());
        }
    }

    private static string Scrub(string text) =>
        GeneratorVersion.Replace(text.ReplaceLineEndings("\n"), @"GeneratedCode(""NetGen.Generator"", ""{version}"")");
}
