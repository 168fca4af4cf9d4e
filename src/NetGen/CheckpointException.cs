using System.IO;

namespace NetGen;

/// <summary>A checkpoint file that cannot be loaded into the given network; the network was left unchanged.</summary>
public sealed class CheckpointException : IOException
{
    /// <summary>Creates the exception for <paramref name="path"/>, saying <paramref name="why"/>.</summary>
    public CheckpointException(string path, string why)
        : base($"Cannot load the checkpoint '{path}': {why}. The network's parameters are unchanged.") => Path = path;

    /// <summary>The checkpoint file.</summary>
    public string Path { get; }
}
