namespace Custom.Data.TfRecords;

/// <summary>What a reader does when it meets a corrupt record.</summary>
public enum OnCorrupt
{
    /// <summary>Throw a <see cref="CorruptRecordException"/> (the default).</summary>
    Fail,
    /// <summary>Skip it, count it, and go on where the framing allows.</summary>
    Skip,
}
