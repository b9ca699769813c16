using Custom.Data.Ingest;

namespace Custom.Data.Fetch;

/// <summary>What <see cref="AudioSetFetch.Run"/> downloads and where it puts it.</summary>
public sealed record FetchRequest
{
    /// <summary>The data folder to fill (default: <see cref="AudioSetLocator.DefaultFolder"/>).</summary>
    public string Destination { get; init; } = AudioSetLocator.DefaultFolder;

    /// <summary>The splits to extract (of <see cref="Ingest.AudioSetFolder.KnownSplits"/>).</summary>
    public IReadOnlyList<string> Splits { get; init; } = ["bal_train", "eval"];

    /// <summary>The features archive (default: Google's, <see cref="PublishedFeatures.ArchiveUrl"/>).</summary>
    public Uri ArchiveUrl { get; init; } = PublishedFeatures.ArchiveUrl;

    /// <summary>The class list, fetched when the archive does not hold one (default: <see cref="PublishedFeatures.ClassListUrl"/>).</summary>
    public Uri ClassListUrl { get; init; } = PublishedFeatures.ClassListUrl;

    /// <summary>Fingerprints the extracted splits must have; a split without one is extracted unverified.</summary>
    public IReadOnlyDictionary<string, SplitFingerprint> Fingerprints { get; init; } = PublishedFeatures.Fingerprints;

    /// <summary>The class list's SHA-256, or null to accept any.</summary>
    public string? ClassListSha256 { get; init; } = PublishedFeatures.ClassListSha256;

    /// <summary>Attempts per download before giving up; each one resumes where the last stopped.</summary>
    public int Attempts { get; init; } = 5;

    /// <summary>Told as bytes arrive and as the archive is read; from the calling thread.</summary>
    public IProgress<FetchProgress>? Progress { get; init; }
}

/// <summary>Where a fetch is: the stage (<c>downloading</c>, <c>extracting</c>, <c>verifying</c>), bytes done of the total (0 when unknown).</summary>
/// <param name="Stage">The stage.</param>
/// <param name="Done">Bytes done.</param>
/// <param name="Total">Bytes in the stage, or 0 when unknown.</param>
public readonly record struct FetchProgress(string Stage, long Done, long Total);

/// <summary>What <see cref="AudioSetFetch.Run"/> put in place.</summary>
/// <param name="Destination">The data folder (full path).</param>
/// <param name="Splits">Each split extracted, with its file count and whether its fingerprint was checked.</param>
/// <param name="ResumedAt">The byte offset the download resumed from on its first request (0 for a fresh start).</param>
public sealed record FetchResult(string Destination, IReadOnlyList<FetchedSplit> Splits, long ResumedAt);

/// <summary>One extracted split.</summary>
/// <param name="Name">The split.</param>
/// <param name="Files">Its <c>.tfrecord</c> files.</param>
/// <param name="Verified">Whether its data fingerprint matched a published one.</param>
public sealed record FetchedSplit(string Name, int Files, bool Verified);
