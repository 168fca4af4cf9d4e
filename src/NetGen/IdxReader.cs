using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;

namespace NetGen;

/// <summary>
/// Reads IDX files of unsigned bytes (the format of MNIST and its relatives), raw or gzip-compressed; compression is
/// recognized from the content, not the name. Every malformed file gets an <see cref="InvalidDataException"/> that names
/// the file and what was expected.
/// </summary>
public static class IdxReader
{
    private const int ImagesMagic = 0x00000803;
    private const int LabelsMagic = 0x00000801;

    /// <summary>Reads an image file (magic 0x00000803) and scales the pixels from [0, 255] to [0, 1].</summary>
    /// <returns>The pixels, row-major [count × rows × columns], and the shape.</returns>
    public static (float[] Pixels, int Count, int Rows, int Columns) ReadImages(string path)
    {
        var (dimensions, data) = Read(path, ImagesMagic, "images");
        var pixels = new float[data.Length];
        for (int i = 0; i < data.Length; i++)
        {
            pixels[i] = data[i] / 255f;
        }

        return (pixels, dimensions[0], dimensions[1], dimensions[2]);
    }

    /// <summary>Reads a label file (magic 0x00000801).</summary>
    public static byte[] ReadLabels(string path) => Read(path, LabelsMagic, "labels").Data;

    /// <summary>
    /// Reads matching image and label files into a dataset with one-hot targets over <paramref name="classCount"/> classes.
    /// </summary>
    /// <exception cref="InvalidDataException">A file is malformed, or the two files disagree in count.</exception>
    public static Dataset ReadClassification(string imagesPath, string labelsPath, int classCount)
    {
        var (pixels, count, rows, columns) = ReadImages(imagesPath);
        byte[] labels = ReadLabels(labelsPath);
        if (labels.Length != count)
        {
            throw new InvalidDataException(
                $"'{imagesPath}' holds {count} images but '{labelsPath}' holds {labels.Length} labels; the two files must come from the same set.");
        }

        try
        {
            return Dataset.FromClassLabels(pixels, rows * columns, labels, classCount);
        }
        catch (ArgumentException error)
        {
            throw new InvalidDataException($"'{labelsPath}': {error.Message}", error);
        }
    }

    private static (int[] Dimensions, byte[] Data) Read(string path, int expectedMagic, string kind)
    {
        using Stream stream = Open(path);
        Span<byte> header = stackalloc byte[4];
        ReadExactly(stream, header, path, "the 4-byte magic number");
        int magic = BinaryPrimitives.ReadInt32BigEndian(header);
        if (magic != expectedMagic)
        {
            throw new InvalidDataException(
                $"'{path}' is not an IDX {kind} file: its magic number is 0x{magic:X8}, expected 0x{expectedMagic:X8}.");
        }

        var dimensions = new int[magic & 0xFF];
        long total = 1;
        for (int d = 0; d < dimensions.Length; d++)
        {
            ReadExactly(stream, header, path, $"dimension {d + 1} of {dimensions.Length}");
            dimensions[d] = BinaryPrimitives.ReadInt32BigEndian(header);
            if (dimensions[d] < 0)
            {
                throw new InvalidDataException($"'{path}' declares a negative size {dimensions[d]} for dimension {d + 1}.");
            }

            total *= dimensions[d];
        }

        if (total > Array.MaxLength)
        {
            throw new InvalidDataException($"'{path}' declares {total} bytes of data, more than one array can hold.");
        }

        var data = new byte[total];
        ReadExactly(stream, data, path, $"{total} bytes of {kind} ({string.Join(" × ", dimensions)})");
        return (dimensions, data);
    }

    private static Stream Open(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        int first = file.ReadByte(), second = file.ReadByte();
        file.Position = 0;
        return first == 0x1F && second == 0x8B ? new BufferedStream(new GZipStream(file, CompressionMode.Decompress), 1 << 16) : file;
    }

    private static void ReadExactly(Stream stream, Span<byte> buffer, string path, string what)
    {
        int read = 0;
        try
        {
            while (read < buffer.Length)
            {
                int n = stream.Read(buffer[read..]);
                if (n == 0)
                {
                    break;
                }

                read += n;
            }
        }
        catch (InvalidDataException error)
        {
            throw new InvalidDataException($"'{path}' is not valid gzip data: {error.Message}", error);
        }

        if (read < buffer.Length)
        {
            throw new InvalidDataException($"'{path}' is truncated: expected {what}, but only {read} of {buffer.Length} bytes follow.");
        }
    }
}
