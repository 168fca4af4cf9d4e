using System;
using System.Text;

namespace NetGen.Generator.Helpers;

/// <summary>
/// Writes C# line by line with four-space indentation. <see cref="Block"/> opens a brace block that closes when the
/// returned scope is disposed, so the emitter's nesting mirrors the emitted code's. Lines end with '\n' on every OS,
/// which keeps the output byte-identical everywhere.
/// </summary>
internal sealed class IndentedWriter
{
    private readonly StringBuilder _text = new();
    private int _depth;

    public void Line(string line = "")
    {
        if (line.Length > 0)
        {
            _text.Append(' ', _depth * 4).Append(line);
        }

        _text.Append('\n');
    }

    /// <summary>Writes <paramref name="header"/> (if any) and an opening brace; disposing the scope writes the closing brace.</summary>
    public Scope Block(string? header = null)
    {
        if (header is not null)
        {
            Line(header);
        }

        Line("{");
        _depth++;
        return new Scope(this);
    }

    /// <summary>Indents the lines written until the returned scope is disposed, without braces: a switch section's body.</summary>
    public Scope Indent()
    {
        _depth++;
        return new Scope(this, closingBrace: false);
    }

    public override string ToString() => _text.ToString();

    private void DropTrailingBlankLine()
    {
        if (_text.Length >= 2 && _text[_text.Length - 1] == '\n' && _text[_text.Length - 2] == '\n')
        {
            _text.Length--;
        }
    }

    internal readonly struct Scope : IDisposable
    {
        private readonly IndentedWriter _writer;
        private readonly bool _closingBrace;

        public Scope(IndentedWriter writer, bool closingBrace = true)
        {
            _writer = writer;
            _closingBrace = closingBrace;
        }

        public void Dispose()
        {
            _writer._depth--;
            if (_closingBrace)
            {
                // A block's last member ends with a blank line that the closing brace makes redundant.
                _writer.DropTrailingBlankLine();
                _writer.Line("}");
            }
        }
    }
}
