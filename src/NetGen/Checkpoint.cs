using System;
using System.Buffers.Binary;
using System.IO;
using System.Runtime.InteropServices;

namespace NetGen;

/// <summary>
/// Saves and loads a network's parameters. The file is a 32-byte little-endian header followed by the parameters as
/// float32: magic "NGCK", format version (u16), reserved (u16), the generator's architecture fingerprint (u64), the
/// parameter count (i32), reserved (u32), and an FNV-1a 64 checksum of the parameter bytes (u64).
/// </summary>
/// <remarks>
/// Saving writes a temporary file beside the target and renames it over the target, so a crash never leaves a half-written
/// checkpoint. Loading checks everything before touching the network: a file for another architecture, a truncated or a
/// corrupted one throws <see cref="CheckpointException"/> and leaves the parameters as they were.
/// </remarks>
public static class Checkpoint
{
    /// <summary>
    /// The format version this library writes and reads. Version 2 stores weights input-major ([inputs × outputs]);
    /// version 1 files, from before that layout, are refused rather than loaded transposed.
    /// </summary>
    public const ushort FormatVersion = 2;

    private const int HeaderSize = 32;
    private static ReadOnlySpan<byte> Magic => "NGCK"u8;

    /// <summary>Writes <paramref name="network"/>'s parameters to <paramref name="path"/>, atomically.</summary>
    public static void Save(INetwork network, string path)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrEmpty(path);
        ReadOnlySpan<byte> payload = MemoryMarshal.AsBytes((ReadOnlySpan<float>)network.Parameters);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Checkpoints are written little-endian; this platform is big-endian.");
        }

        Span<byte> header = stackalloc byte[HeaderSize];
        header.Clear();
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], FormatVersion);
        BinaryPrimitives.WriteUInt64LittleEndian(header[8..], network.ArchitectureFingerprint);
        BinaryPrimitives.WriteInt32LittleEndian(header[16..], network.ParameterCount);
        BinaryPrimitives.WriteUInt64LittleEndian(header[24..], Fnv1a64(payload));

        AtomicFile.Write(path, header, payload);
    }

    /// <summary>Replaces <paramref name="network"/>'s parameters with those saved in <paramref name="path"/>.</summary>
    /// <exception cref="CheckpointException">The file is not a checkpoint of this architecture, or is truncated or corrupted.</exception>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    public static void Load(INetwork network, string path)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length < HeaderSize)
        {
            throw new CheckpointException(path, $"it is truncated: {bytes.Length} bytes, shorter than the {HeaderSize}-byte header");
        }

        ReadOnlySpan<byte> header = bytes.AsSpan(0, HeaderSize);
        if (!header[..4].SequenceEqual(Magic))
        {
            throw new CheckpointException(path, "it does not start with the magic \"NGCK\", so it is not a NetGen checkpoint");
        }

        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(header[4..]);
        if (version != FormatVersion)
        {
            string layout = version == 1 ? " (weights stored [outputs × inputs], before NetGen moved to input-major weights)" : "";
            throw new CheckpointException(path, $"it has format version {version}{layout}; this library reads version {FormatVersion}");
        }

        ulong fingerprint = BinaryPrimitives.ReadUInt64LittleEndian(header[8..]);
        int count = BinaryPrimitives.ReadInt32LittleEndian(header[16..]);
        if (fingerprint != network.ArchitectureFingerprint || count != network.ParameterCount)
        {
            throw new CheckpointException(
                path,
                $"it was saved from another architecture (fingerprint 0x{fingerprint:X16}, {count} parameters), " +
                $"but this network is {network.Architecture} (fingerprint 0x{network.ArchitectureFingerprint:X16}, {network.ParameterCount} parameters)");
        }

        long expectedLength = HeaderSize + 4L * count;
        if (bytes.Length != expectedLength)
        {
            throw new CheckpointException(
                path,
                bytes.Length < expectedLength
                    ? $"it is truncated: {bytes.Length} bytes where {count} parameters need {expectedLength}"
                    : $"it has {bytes.Length - expectedLength} bytes after the {count} parameters");
        }

        ReadOnlySpan<byte> payload = bytes.AsSpan(HeaderSize);
        ulong checksum = BinaryPrimitives.ReadUInt64LittleEndian(header[24..]);
        if (Fnv1a64(payload) != checksum)
        {
            throw new CheckpointException(path, "its checksum does not match its contents, so it is corrupted");
        }

        MemoryMarshal.Cast<byte, float>(payload).CopyTo(network.Parameters);
    }

    private static ulong Fnv1a64(ReadOnlySpan<byte> bytes)
    {
        ulong hash = 0xCBF29CE484222325UL;
        foreach (byte b in bytes)
        {
            hash = unchecked((hash ^ b) * 0x100000001B3UL);
        }

        return hash;
    }
}
