using System;
using System.CommandLine;
using System.CommandLine.Parsing;

namespace Samples.Shared;

/// <summary>How the samples and tools answer their command line, in one place.</summary>
internal static class CommandLine
{
    /// <summary>
    /// Parses <paramref name="args"/> for <paramref name="command"/>. False when the program should stop with
    /// <paramref name="exitCode"/>: after printing what is wrong (exit code 2), or after --help or --version ran.
    /// </summary>
    public static bool TryParse(RootCommand command, string[] args, out ParseResult parsed, out int exitCode)
    {
        parsed = command.Parse(args);
        exitCode = 0;
        if (parsed.Errors.Count > 0)
        {
            // What is wrong and where to look, rather than the whole help under the errors; and 2 rather than
            // System.CommandLine's 1, so that a script can tell a bad command line from a failed run.
            foreach (ParseError error in parsed.Errors)
            {
                Console.Error.WriteLine(error.Message);
            }

            Console.Error.WriteLine("Run with --help to see the options.");
            exitCode = 2;
            return false;
        }

        if (parsed.Action is not null)
        {
            exitCode = parsed.Invoke();
            return false;
        }

        return true;
    }
}
