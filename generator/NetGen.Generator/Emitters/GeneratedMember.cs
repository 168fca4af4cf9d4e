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

    /// <summary>A one-line doc summary, the attributes, then the member's header.</summary>
    public static void WriteHeader(IndentedWriter writer, string summary, string header)
    {
        writer.Line($"/// <summary>{summary}</summary>");
        WriteAttributes(writer);
        writer.Line(header);
    }
}
