using System;
using System.IO;
using System.Runtime.CompilerServices;
using System.Text;
using DiffPlex.Renderer;
using NetGen.Testing;
using Xunit.Sdk;

namespace NetGen.Generator.Tests;

/// <summary>
/// Snapshot checks with Verify.SourceGenerators' conventions, so that moving to Verify later changes one line:
/// each generated file is compared with <c>{Class}.{Method}#{HintName}.verified.cs</c> beside the test file, whose
/// first line is <c>//HintName: {HintName}</c>; files are taken in hint-name order (as <see cref="GenerationResult.Files"/>
/// has them); the generator version is scrubbed. A mismatch writes <c>.received.cs</c> beside it and fails with a
/// unified diff; accept it by renaming. It is also the README's plain-file recipe, tested.
/// </summary>
internal static class SnapshotVerifier
{
    public static void Verify(GenerationResult result, [CallerFilePath] string testFile = "", [CallerMemberName] string method = "")
    {
        string directory = Path.GetDirectoryName(testFile)!;
        string prefix = Path.GetFileNameWithoutExtension(testFile) + "." + method;
        if (result.Files.Count == 0)
        {
            throw new XunitException($"{prefix}: the generator produced no source; diagnostics: {string.Join("; ", result.GeneratorDiagnostics)}");
        }

        var failures = new StringBuilder();
        foreach (GeneratedFile source in result.Files)
        {
            string text = "//HintName: " + source.HintName + "\n" + GeneratedSource.ScrubVersion(source.Source.ReplaceLineEndings("\n"));
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
}
