using System;
using System.IO;

namespace NetGen;

/// <summary>
/// Writes a file all at once or not at all: to a temporary file beside the target, flushed to disk, then renamed over
/// the target, so a crash never leaves a half-written file.
/// </summary>
internal static class AtomicFile
{
    /// <summary>Writes <paramref name="head"/> then <paramref name="body"/> to <paramref name="path"/>.</summary>
    public static void Write(string path, ReadOnlySpan<byte> head, ReadOnlySpan<byte> body)
    {
        string fullPath = Path.GetFullPath(path);
        string temporary = $"{fullPath}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                file.Write(head);
                file.Write(body);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
