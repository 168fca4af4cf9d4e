using NetGen.Generator.Helpers;

namespace NetGen.Generator.Emitters;

/// <summary>How generated members are marked and documented.</summary>
internal static class GeneratedMember
{
    private static readonly string GeneratedCode =
        $"[global::System.CodeDom.Compiler.GeneratedCode(\"NetGen.Generator\", \"{typeof(GeneratedMember).Assembly.GetName().Version}\")]";

    /// <summary>
    /// The attributes on the generated partial declaration, as System.Text.Json's and the options-validation generators
    /// mark the partial types they complete: tools that skip generated code (coverage, the debugger's Just My Code,
    /// analyzers) skip the network's passes. They apply to the whole type, so keep substantial hand-written logic in
    /// another type.
    /// </summary>
    public static void WriteTypeAttributes(IndentedWriter writer)
    {
        writer.Line(GeneratedCode);
        writer.Line("[global::System.Diagnostics.DebuggerNonUserCode]");
        writer.Line("[global::System.Diagnostics.CodeAnalysis.ExcludeFromCodeCoverage]");
    }

    /// <summary>The widest doc-comment text on one line before it wraps.</summary>
    private const int SummaryWidth = 116;

    /// <summary>A doc summary (wrapped at word boundaries when long), then the member's header.</summary>
    public static void WriteHeader(IndentedWriter writer, string summary, string header)
    {
        WriteSummary(writer, summary);
        writer.Line(header);
    }

    public static void WriteSummary(IndentedWriter writer, string summary)
    {
        if (summary.Length <= SummaryWidth)
        {
            writer.Line($"/// <summary>{summary}</summary>");
            return;
        }

        writer.Line("/// <summary>");
        var line = new System.Text.StringBuilder();
        foreach (string word in summary.Split(' '))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > SummaryWidth)
            {
                writer.Line("/// " + line);
                line.Clear();
            }

            line.Append(line.Length > 0 ? " " : "").Append(word);
        }

        writer.Line("/// " + line);
        writer.Line("/// </summary>");
    }
}
