namespace Custom.Data.TfRecords;

/// <summary>How a <see cref="TfRecordReader"/> checks and treats records.</summary>
public sealed record TfRecordReaderOptions
{
    /// <summary>CRC checks on, failing on the first corrupt record.</summary>
    public static TfRecordReaderOptions Default { get; } = new();

    /// <summary>Verify the masked CRC32C of each length and each record's data (on by default).</summary>
    public bool VerifyCrc { get; init; } = true;

    /// <summary>Fail on a corrupt record (default) or skip and count it.</summary>
    public OnCorrupt OnCorrupt { get; init; } = OnCorrupt.Fail;
}
