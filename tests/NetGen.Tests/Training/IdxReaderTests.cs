using System;
using System.IO;
using System.IO.Compression;
using Xunit;

namespace NetGen.Tests.Training;

public sealed class IdxReaderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("netgen-idx-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Raw_and_gzip_files_read_the_same_and_pixels_scale_to_the_unit_interval()
    {
        byte[] images = Images(count: 2, rows: 2, columns: 2, 0, 255, 51, 102, 1, 2, 3, 4);
        string raw = Write("images", images);
        string gz = WriteGzip("images.gz", images);

        var fromRaw = IdxReader.ReadImages(raw);
        var fromGz = IdxReader.ReadImages(gz);

        Assert.Equal((2, 2, 2), (fromRaw.Count, fromRaw.Rows, fromRaw.Columns));
        Assert.Equal(new[] { 0f, 1f, 51f / 255f, 102f / 255f }, fromRaw.Pixels[..4]);
        Assert.Equal(fromRaw.Pixels, fromGz.Pixels);
    }

    [Fact]
    public void A_wrong_magic_number_names_the_file_and_both_numbers()
    {
        string labels = Write("labels", Labels(1, 2));
        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(labels));
        Assert.Contains(labels, error.Message);
        Assert.Contains("0x00000801", error.Message);
        Assert.Contains("expected 0x00000803", error.Message);
    }

    [Fact]
    public void A_file_truncated_in_the_header_or_the_data_is_reported_as_truncated()
    {
        byte[] images = Images(count: 2, rows: 2, columns: 2, 1, 2, 3, 4, 5, 6, 7, 8);
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(Write("a", images[..10]))).Message);
        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(WriteGzip("b.gz", images[..^3])));
        Assert.Contains("truncated", error.Message);
        Assert.Contains("5 of 8 bytes", error.Message);
    }

    [Fact]
    public void Images_and_labels_that_disagree_in_count_are_refused()
    {
        string images = Write("images", Images(count: 2, rows: 1, columns: 1, 1, 2));
        string labels = Write("labels", Labels(1, 2, 3));
        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadClassification(images, labels, 10));
        Assert.Contains("2 images", error.Message);
        Assert.Contains("3 labels", error.Message);
    }

    [Fact]
    public void A_label_outside_the_classes_is_refused()
    {
        string images = Write("images", Images(count: 1, rows: 1, columns: 1, 1));
        string labels = Write("labels", Labels(12));
        Assert.Contains("Label 12", Assert.Throws<InvalidDataException>(() => IdxReader.ReadClassification(images, labels, 10)).Message);
    }

    [Fact]
    public void A_missing_file_throws_file_not_found() =>
        Assert.Throws<FileNotFoundException>(() => IdxReader.ReadLabels(Path.Combine(_folder, "absent")));

    private static byte[] Images(int count, int rows, int columns, params byte[] pixels) =>
        [0, 0, 8, 3, .. BigEndian(count), .. BigEndian(rows), .. BigEndian(columns), .. pixels];

    private static byte[] Labels(params byte[] labels) => [0, 0, 8, 1, .. BigEndian(labels.Length), .. labels];

    private static byte[] BigEndian(int value) => [(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value];

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private string WriteGzip(string name, byte[] bytes)
    {
        string path = Path.Combine(_folder, name);
        using var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest);
        gzip.Write(bytes);
        return path;
    }
}
