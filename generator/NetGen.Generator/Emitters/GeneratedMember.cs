using NetGen.Generator.Helpers;

namespace NetGen.Generator.Emitters;

/// <summary>
/// The attributes every generated member carries. They go on members, not on the type, because the type is the user's
/// too: marking it would hide the user's own members from the debugger and from code coverage.
/// </summary>
internal static class GeneratedMember
{
    private static readonly string GeneratedCode =
        $"[global::System.CodeDom.Compiler.GeneratedCode(\"NetGen.Generator\", \"{typeof(GeneratedMember).Assembly.GetName().Version}\")]";

    private const string NonUserCode = "[global::System.Diagnostics.DebuggerNonUserCode, global::System.Diagnostics.CodeAnalysis.ExcludeFromCodeCoverage]";

    public static void WriteAttributes(IndentedWriter writer)
    {
        writer.Line(GeneratedCode);
        writer.Line(NonUserCode);
    }

    /// <summary>The widest doc-comment text on one line before it wraps.</summary>
    private const int SummaryWidth = 116;

    /// <summary>A doc summary (wrapped at word boundaries when long), the attributes, then the member's header.</summary>
    public static void WriteHeader(IndentedWriter writer, string summary, string header)
    {
        WriteSummary(writer, summary);
        WriteAttributes(writer);
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
