using Custom.Data.TfRecords;

namespace Custom.Cli.Bench;

/// A larger copy of a data set, written record by record with <see cref="TfRecordWriter"/> into a temp folder,
/// for showing that memory stays flat as the data grows. Deleted on dispose.
internal sealed class ScaledCopy : IDisposable
{
    private ScaledCopy(string folder, IReadOnlyList<string> files)
    {
        Folder = folder;
        Files = files;
    }

    public string Folder { get; }

    public IReadOnlyList<string> Files { get; }

    /// Writes <paramref name="scale"/> copies into a new temp folder.
    public static ScaledCopy Create(IReadOnlyList<string> sources, int scale)
    {
        string folder = Path.Combine(Path.GetTempPath(), $"custom-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            return new ScaledCopy(folder, Write(sources, scale, folder));
        }
        catch
        {
            Directory.Delete(folder, recursive: true);
            throw;
        }
    }

    /// Writes <paramref name="scale"/> copies of the sources' records into <paramref name="folder"/>; each copy
    /// regroups the sources into files of about 32 MB. Returns the files in name order.
    public static IReadOnlyList<string> Write(IReadOnlyList<string> sources, int scale, string folder)
    {
        var files = new List<string>();
        for (int copy = 0; copy < scale; copy++)
        {
            TfRecordWriter? writer = null;
            long written = 0;
            foreach (string source in sources)
            {
                if (writer is null || written > 32_000_000)
                {
                    writer?.Dispose();
                    string path = Path.Combine(folder, $"copy{copy:D3}-{files.Count:D5}.tfrecord");
                    files.Add(path);
                    writer = TfRecordWriter.Create(path);
                    written = 0;
                }

                using var reader = TfRecordReader.Open(source);
                while (reader.TryRead(out var record))
                {
                    writer.Write(record);
                    written += record.Length + 16;
                }
            }

            writer?.Dispose();
        }

        return files;
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
