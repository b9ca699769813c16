using Custom.Data.TfRecords;

namespace Custom.Data.Ingest;

/// <summary>How clips are read from TFRecord files.</summary>
public sealed record IngestOptions
{
    /// <summary>CRC checks on, fail on corruption, one reader per core.</summary>
    public static IngestOptions Default { get; } = new();

    /// <summary>Verify both masked CRC32C values of every record (on by default).</summary>
    public bool VerifyCrc { get; init; } = true;

    /// <summary>Fail on the first corrupt record (default) or skip and count.</summary>
    public OnCorrupt OnCorrupt { get; init; } = OnCorrupt.Fail;

    /// <summary>Files read at once. Results and their order do not depend on it.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Told after each file; called from worker threads.</summary>
    public IProgress<IngestProgress>? Progress { get; init; }

    internal TfRecordReaderOptions ReaderOptions => new() { VerifyCrc = VerifyCrc, OnCorrupt = OnCorrupt };
}

/// <summary>Files finished out of the files to read.</summary>
public readonly record struct IngestProgress(int FilesDone, int FilesTotal);
