using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Custom.Data.Ingest;

namespace Custom.Data.Fetch;

/// <summary>
/// Downloads Google's AudioSet features archive and puts the chosen splits and the class list into a data folder.
/// The download resumes where it stopped (an HTTP range request on the partial file, kept in
/// <c>DEST/.download/</c>); only the chosen splits are extracted; each is checked against its published data
/// fingerprint before anything in the destination is replaced, so a damaged download never replaces good data.
/// </summary>
public static class AudioSetFetch
{
    /// <summary>The folder under the destination holding the (partial) archive until the fetch succeeds.</summary>
    public const string DownloadFolder = ".download";

    /// <summary>Runs the fetch; see <see cref="RunAsync"/>.</summary>
    /// <param name="request">What to fetch and where.</param>
    /// <returns>What was put in place.</returns>
    /// <exception cref="InvalidInputException">An unknown split, a download that keeps failing, a damaged archive, a
    /// split missing from it, or a fingerprint that does not match; the message says which.</exception>
    public static FetchResult Run(FetchRequest request) => RunAsync(request).GetAwaiter().GetResult();

    /// <summary>Downloads (resuming a partial download), extracts the chosen splits and the class list, verifies them
    /// and moves them into the destination; the archive is deleted once everything is in place.</summary>
    /// <param name="request">What to fetch and where.</param>
    /// <param name="client">The HTTP client to use (default: a new one).</param>
    /// <param name="cancellationToken">Stops the download; the partial file stays for the next run.</param>
    /// <returns>What was put in place.</returns>
    /// <exception cref="InvalidInputException">An unknown split, a download that keeps failing, a damaged archive, a
    /// split missing from it, or a fingerprint that does not match; the message says which.</exception>
    public static async Task<FetchResult> RunAsync(FetchRequest request, HttpClient? client = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var splits = request.Splits.Distinct(StringComparer.Ordinal).ToList();
        var unknown = splits.Where(s => !AudioSetFolder.KnownSplits.Contains(s)).ToList();
        if (splits.Count == 0 || unknown.Count > 0)
        {
            throw new InvalidInputException($"--splits: unknown split '{unknown.FirstOrDefault()}' (choose from {string.Join(", ", AudioSetFolder.KnownSplits)})");
        }

        string destination = Path.GetFullPath(request.Destination);
        string downloads = Directory.CreateDirectory(Path.Combine(destination, DownloadFolder)).FullName;
        string archiveName = Path.GetFileName(request.ArchiveUrl.AbsolutePath) is { Length: > 0 } n ? n : "features.tar.gz";
        string archive = Path.Combine(downloads, archiveName);

        using var ownClient = client is null ? new HttpClient { Timeout = Timeout.InfiniteTimeSpan } : null;
        var http = client ?? ownClient!;
        long resumedAt = File.Exists(archive) ? new FileInfo(archive).Length : await Download(http, request, archive, cancellationToken).ConfigureAwait(false);

        string staging = Path.Combine(destination, $".fetch.{Guid.NewGuid():N}.staging");
        try
        {
            Directory.CreateDirectory(staging);
            List<FetchedSplit> fetched;
            try
            {
                bool hasClassList = Extract(archive, staging, splits, request.Progress);
                if (!hasClassList)
                {
                    await FetchClassList(http, request.ClassListUrl, Path.Combine(staging, PublishedFeatures.ClassListFile), cancellationToken).ConfigureAwait(false);
                }

                fetched = Verify(staging, splits, request);
            }
            catch (InvalidInputException)
            {
                File.Delete(archive); // a damaged archive would fail the same way again: the next run downloads afresh
                throw;
            }

            Place(staging, destination, splits);
            Directory.Delete(downloads, recursive: true);
            return new FetchResult(destination, fetched, resumedAt);
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    // Downloads into archive + ".part", resuming from its length, and renames it when complete. Returns the offset
    // the first request started from.
    private static async Task<long> Download(HttpClient http, FetchRequest request, string archive, CancellationToken cancellationToken)
    {
        string part = archive + ".part";
        long firstOffset = File.Exists(part) ? new FileInfo(part).Length : 0;
        Exception? last = null;
        for (int attempt = 0; attempt < Math.Max(1, request.Attempts); attempt++)
        {
            long have = File.Exists(part) ? new FileInfo(part).Length : 0;
            using var message = new HttpRequestMessage(HttpMethod.Get, request.ArchiveUrl);
            if (have > 0)
            {
                message.Headers.Range = new RangeHeaderValue(have, null);
            }

            try
            {
                using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && have > 0)
                {
                    break; // the partial file already holds every byte
                }

                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidInputException($"{request.ArchiveUrl}: the server answered {(int)response.StatusCode} {response.ReasonPhrase}");
                }

                bool append = response.StatusCode == HttpStatusCode.PartialContent;
                long offset = append ? have : 0;
                long total = response.Content.Headers.ContentRange?.Length ?? (response.Content.Headers.ContentLength is long length ? offset + length : 0);
                await using (var output = new FileStream(part, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
                await using (var input = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false))
                {
                    var buffer = new byte[1 << 16];
                    long done = offset;
                    int read;
                    while ((read = await input.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                        done += read;
                        request.Progress?.Report(new FetchProgress("downloading", done, total));
                    }
                }

                if (total > 0 && new FileInfo(part).Length != total)
                {
                    throw new IOException($"the download stopped at byte {new FileInfo(part).Length:N0} of {total:N0}");
                }

                last = null;
                break;
            }
            catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
            {
                last = e; // try again, resuming from what arrived
            }
        }

        if (last is not null)
        {
            throw new InvalidInputException($"{request.ArchiveUrl}: download failed after {request.Attempts} attempts ({last.Message}); " +
                $"run the command again to resume from {Path.GetDirectoryName(part)}");
        }

        File.Move(part, archive, overwrite: true);
        return firstOffset;
    }

    // Extracts the chosen splits' .tfrecord files and any class list; true when the archive held a class list.
    private static bool Extract(string archive, string staging, IReadOnlyList<string> splits, IProgress<FetchProgress>? progress)
    {
        bool classList = false;
        using var file = File.OpenRead(archive);
        try
        {
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var tar = new TarReader(gzip);
            while (tar.GetNextEntry() is { } entry)
            {
                progress?.Report(new FetchProgress("extracting", file.Position, file.Length));
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || entry.DataStream is null)
                {
                    continue;
                }

                var parts = entry.Name.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length == 0 || parts.Contains("..") || parts.Any(p => p.StartsWith('.')))
                {
                    continue;
                }

                string name = parts[^1];
                if (name == PublishedFeatures.ClassListFile)
                {
                    entry.ExtractToFile(Path.Combine(staging, name), overwrite: true);
                    classList = true;
                }
                else if (parts.Length >= 2 && splits.Contains(parts[^2]) && name.EndsWith(".tfrecord", StringComparison.Ordinal))
                {
                    string folder = Directory.CreateDirectory(Path.Combine(staging, parts[^2])).FullName;
                    entry.ExtractToFile(Path.Combine(folder, name), overwrite: false);
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException or IOException)
        {
            throw new InvalidInputException($"{archive}: not a readable .tar.gz archive ({e.Message}); it was deleted: fetch again", e);
        }

        return classList;
    }

    private static async Task FetchClassList(HttpClient http, Uri url, string path, CancellationToken cancellationToken)
    {
        try
        {
            var bytes = await http.GetByteArrayAsync(url, cancellationToken).ConfigureAwait(false);
            await File.WriteAllBytesAsync(path, bytes, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new InvalidInputException($"{url}: could not fetch the class list ({e.Message})", e);
        }
    }

    private static List<FetchedSplit> Verify(string staging, IReadOnlyList<string> splits, FetchRequest request)
    {
        var fetched = new List<FetchedSplit>();
        foreach (string split in splits)
        {
            string folder = Path.Combine(staging, split);
            if (!Directory.Exists(folder))
            {
                throw new InvalidInputException($"{request.ArchiveUrl}: the archive holds no {split}/ folder of .tfrecord files");
            }

            request.Progress?.Report(new FetchProgress($"verifying {split}", 0, 1));
            var files = AudioSetIngest.ResolveFiles(folder);
            bool verified = false;
            if (request.Fingerprints.TryGetValue(split, out var expected))
            {
                string actual = DataFingerprint.Compute(staging, files);
                if (files.Count != expected.Files || actual != expected.Sha256)
                {
                    throw new InvalidInputException($"{split}: data fingerprint {actual} ({files.Count:N0} files) does not match the published " +
                        $"{expected.Sha256} ({expected.Files:N0} files): the archive is damaged or not AudioSet's features; nothing was replaced and the archive was deleted");
                }

                verified = true;
            }

            fetched.Add(new FetchedSplit(split, files.Count, verified));
        }

        if (request.ClassListSha256 is { } sha)
        {
            using var stream = File.OpenRead(Path.Combine(staging, PublishedFeatures.ClassListFile));
            string actual = Convert.ToHexStringLower(SHA256.HashData(stream));
            if (actual != sha)
            {
                throw new InvalidInputException($"{PublishedFeatures.ClassListFile}: SHA-256 {actual} does not match the published {sha}; nothing was replaced");
            }
        }

        return fetched;
    }

    // Each split folder is swapped in whole; the class list is renamed over the old one.
    private static void Place(string staging, string destination, IReadOnlyList<string> splits)
    {
        foreach (string split in splits)
        {
            string from = Path.Combine(staging, split);
            AtomicDirectory.Replace(Path.Combine(destination, split), target =>
            {
                foreach (string file in Directory.EnumerateFiles(from))
                {
                    File.Move(file, Path.Combine(target, Path.GetFileName(file)));
                }
            });
        }

        File.Move(Path.Combine(staging, PublishedFeatures.ClassListFile), Path.Combine(destination, PublishedFeatures.ClassListFile), overwrite: true);
    }
}
