namespace Custom.Data.Fetch;

/// <summary>
/// Google's published AudioSet embeddings (VGGish features, 128 bytes per second of audio, CC BY 4.0): where the
/// archive is, how it is laid out, and the data fingerprints of the splits this project uses
/// (<see cref="Ingest.DataFingerprint"/>: every file's name, length and bytes in ordinal order).
/// </summary>
public static class PublishedFeatures
{
    /// <summary>The archive: <c>audioset_v1_embeddings/{bal_train,eval,unbal_train}/*.tfrecord</c>, gzip-compressed tar.</summary>
    public static Uri ArchiveUrl { get; } = new("http://storage.googleapis.com/us_audioset/youtube_corpus/v1/features/features.tar.gz");

    /// <summary>The class list (index, MID, display name), published beside the segment lists.</summary>
    public static Uri ClassListUrl { get; } = new("http://storage.googleapis.com/us_audioset/youtube_corpus/v1/csv/class_labels_indices.csv");

    /// <summary>The class list's file name in a data folder.</summary>
    public const string ClassListFile = "class_labels_indices.csv";

    /// <summary>SHA-256 of the published class list (527 classes).</summary>
    public const string ClassListSha256 = "cdd1049833c4b86127c2773ac0d14a2754b6a6d0d1798002ed5c66e699708429";

    /// <summary>
    /// The splits' fingerprints. bal_train's is the one <c>artifacts/reference/manifest.json</c> records for the
    /// reference model; unbal_train has none recorded, so it is extracted unverified.
    /// </summary>
    public static IReadOnlyDictionary<string, SplitFingerprint> Fingerprints { get; } = new Dictionary<string, SplitFingerprint>(StringComparer.Ordinal)
    {
        ["bal_train"] = new(4_070, "f73c3741fdc251d4af55bba17e30d1e25eff06433bb85c9954df232fd66b153a"),
        ["eval"] = new(4_062, "b2494baeb376acb3ef312f6a86bd5c2edc8c68ef63617d28fdae6a79d735b7b9"),
    };
}

/// <summary>A split's expected file count and data fingerprint (lower-case hex SHA-256).</summary>
/// <param name="Files">Number of <c>.tfrecord</c> files.</param>
/// <param name="Sha256">The fingerprint, as <see cref="Ingest.DataFingerprint.Compute"/> gives it.</param>
public sealed record SplitFingerprint(int Files, string Sha256);
