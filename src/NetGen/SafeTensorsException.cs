using System.IO;

namespace NetGen;

/// <summary>A safetensors file or stream that cannot be loaded into the given network; the network was left unchanged.</summary>
public sealed class SafeTensorsException : IOException
{
    /// <summary>Creates the exception for the file at <paramref name="path"/> (null for a stream), saying <paramref name="why"/>.</summary>
    public SafeTensorsException(string? path, string why)
        : base($"Cannot load the safetensors {(path is null ? "stream" : $"file '{path}'")}: {why}. The network's parameters are unchanged.") =>
        Path = path;

    /// <summary>The file, or null when the tensors came from a stream.</summary>
    public string? Path { get; }
}
