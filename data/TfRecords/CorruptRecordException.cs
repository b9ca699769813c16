namespace Custom.Data.TfRecords;

/// <summary>What is wrong with a record.</summary>
public enum CorruptionKind
{
    /// <summary>Fewer than 12 header bytes remain at the end of the file.</summary>
    TruncatedHeader,
    /// <summary>The masked CRC32C of the length field does not match.</summary>
    LengthCrcMismatch,
    /// <summary>The declared length runs past the end of the file and cannot be a cut-off record: it is larger than any
    /// record can be, or it was not verified (CRC checks off).</summary>
    LengthExceedsFile,
    /// <summary>The file ends inside the record's data or its CRC, although the length field was verified.</summary>
    TruncatedPayload,
    /// <summary>The masked CRC32C of the data does not match.</summary>
    DataCrcMismatch,
    /// <summary>The record is framed correctly but is not a valid AudioSet SequenceExample.</summary>
    InvalidClip,
    /// <summary>The declared length exceeds <see cref="TfRecordReader.MaxRecordLength"/>.</summary>
    LengthTooLarge,
}

/// <summary>
/// A record that cannot be read, with the file, byte offset and record index where it starts.
/// </summary>
public sealed class CorruptRecordException : InvalidInputException
{
    /// <summary>Creates the exception; the message names the file, offset, record index and problem.</summary>
    public CorruptRecordException(string filePath, long offset, long recordIndex, CorruptionKind kind, string problem)
        : base($"{filePath}: record {recordIndex} at byte offset {offset}: {problem}")
    {
        FilePath = filePath;
        Offset = offset;
        RecordIndex = recordIndex;
        Kind = kind;
        Problem = problem;
    }

    /// <summary>The file (or in-memory source name) that holds the record.</summary>
    public string FilePath { get; }

    /// <summary>Byte offset of the record's header within the file.</summary>
    public long Offset { get; }

    /// <summary>Zero-based index of the record within the file.</summary>
    public long RecordIndex { get; }

    /// <summary>The kind of damage.</summary>
    public CorruptionKind Kind { get; }

    /// <summary>The problem alone, without file and position.</summary>
    public string Problem { get; }
}
