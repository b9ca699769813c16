using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using Custom.Data;
using Custom.Data.Fetch;
using Custom.Data.Ingest;
using Custom.Tests.Cli;
using Custom.Tests.Support;

namespace Custom.Tests.Data.Fetch;

/// `custom data fetch` against archives served on loopback by the test itself.
public sealed class AudioSetFetchTests : IDisposable
{
    private const string Prefix = "audioset_v1_embeddings";

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// A small archive laid out as Google's, from fixture clips; the splits' fingerprints as a fetch must find them.
    private (byte[] Archive, Dictionary<string, SplitFingerprint> Fingerprints, byte[] ClassList) SmallArchive(bool withClassList)
    {
        string root = _temp.Folder("source");
        Fixtures.WriteClips(Path.Combine(_temp.Folder("source/bal_train"), "a.tfrecord"), Fixtures.Clip("dog", 10, 74), Fixtures.Clip("siren", 4, 396));
        Fixtures.WriteClips(Path.Combine(_temp.Folder("source/bal_train"), "b.tfrecord"), Fixtures.Clip("car", 7, 307));
        Fixtures.WriteClips(Path.Combine(_temp.Folder("source/eval"), "c.tfrecord"), Fixtures.Clip("speech", 10, 0));
        Fixtures.WriteClips(Path.Combine(_temp.Folder("source/unbal_train"), "d.tfrecord"), Fixtures.Clip("horn", 10, 308));
        byte[] classList = "index,mid,display_name\n0,/m/09x0r,\"Speech\"\n74,/m/0bt9lr,\"Dog\"\n"u8.ToArray();
        var fingerprints = new[] { "bal_train", "eval" }.ToDictionary(
            s => s, s => { var files = AudioSetIngest.ResolveFiles(Path.Combine(root, s)); return new SplitFingerprint(files.Count, DataFingerprint.Compute(root, files)); });

        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, $"{Prefix}/"));
            foreach (string split in new[] { "bal_train", "eval", "unbal_train" })
            {
                foreach (string file in AudioSetIngest.ResolveFiles(Path.Combine(root, split)))
                {
                    tar.WriteEntry(file, $"{Prefix}/{split}/{Path.GetFileName(file)}");
                }
            }

            if (withClassList)
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, $"{Prefix}/{PublishedFeatures.ClassListFile}") { DataStream = new MemoryStream(classList) });
            }
        }

        return (buffer.ToArray(), fingerprints, classList);
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    [Fact]
    public async Task An_interrupted_download_resumes_and_only_the_chosen_splits_are_extracted_and_verified()
    {
        var (archive, fingerprints, classList) = SmallArchive(withClassList: true);
        using var server = new LoopbackServer(new() { ["features.tar.gz"] = archive }, cutFirstResponseAt: archive.Length / 2);
        string dest = Path.Combine(_temp.Path, "audioset");
        var stages = new List<string>();
        var result = await AudioSetFetch.RunAsync(new FetchRequest
        {
            Destination = dest,
            ArchiveUrl = new Uri(server.Url("features.tar.gz")),
            ClassListUrl = new Uri(server.Url("missing.csv")), // the archive holds the list: never asked for
            Fingerprints = fingerprints,
            ClassListSha256 = Sha256(classList),
            Progress = new Collect(p => stages.Add(p.Stage)),
        });

        Assert.Equal([("features.tar.gz", ""), ("features.tar.gz", $"bytes={archive.Length / 2}-")], server.Requests);
        Assert.Equal(["bal_train", "eval"], result.Splits.Select(s => s.Name));
        Assert.All(result.Splits, s => Assert.True(s.Verified, s.Name));
        Assert.Equal([2, 1], result.Splits.Select(s => s.Files));
        Assert.Contains("downloading", stages);
        Assert.Contains("extracting", stages);

        var folder = AudioSetFolder.Open(dest);
        Assert.Equal(["bal_train", "eval"], folder.Splits);                 // unbal_train was not chosen
        Assert.Equal(fingerprints["bal_train"].Sha256, DataFingerprint.Compute(dest, folder.FilesOf("bal_train")));
        Assert.Equal(["dog", "siren", "car"], AudioSetIngest.ReadClips(folder.FilesOf("bal_train")).Select(c => c.VideoId));
        Assert.Equal(classList, File.ReadAllBytes(Path.Combine(dest, PublishedFeatures.ClassListFile)));
        Assert.False(Directory.Exists(Path.Combine(dest, AudioSetFetch.DownloadFolder)));   // the archive is gone once all is in place
        Assert.Empty(Directory.GetDirectories(dest, ".fetch.*"));
    }

    [Fact]
    public async Task A_partial_file_left_by_an_earlier_run_is_resumed_and_the_class_list_comes_from_its_own_url()
    {
        var (archive, fingerprints, classList) = SmallArchive(withClassList: false);
        using var server = new LoopbackServer(new() { ["features.tar.gz"] = archive, ["class_labels_indices.csv"] = classList });
        string dest = Path.Combine(_temp.Path, "audioset");
        Directory.CreateDirectory(Path.Combine(dest, AudioSetFetch.DownloadFolder));
        File.WriteAllBytes(Path.Combine(dest, AudioSetFetch.DownloadFolder, "features.tar.gz.part"), archive[..100]);

        var result = await AudioSetFetch.RunAsync(new FetchRequest
        {
            Destination = dest,
            Splits = ["eval"],
            ArchiveUrl = new Uri(server.Url("features.tar.gz")),
            ClassListUrl = new Uri(server.Url("class_labels_indices.csv")),
            Fingerprints = fingerprints,
            ClassListSha256 = Sha256(classList),
        });

        Assert.Equal(100, result.ResumedAt);
        Assert.Equal(("features.tar.gz", "bytes=100-"), server.Requests[0]);
        Assert.Equal(["eval"], AudioSetFolder.Open(dest).Splits);
        Assert.Equal(classList, File.ReadAllBytes(Path.Combine(dest, PublishedFeatures.ClassListFile)));
    }

    [Fact]
    public void The_command_refuses_an_archive_whose_fingerprints_are_not_the_published_ones_and_replaces_nothing()
    {
        var (archive, _, classList) = SmallArchive(withClassList: true);
        using var server = new LoopbackServer(new() { ["features.tar.gz"] = archive });
        string dest = _temp.Folder("audioset");
        string kept = Path.Combine(_temp.Folder("audioset/bal_train"), "kept.tfrecord");
        File.WriteAllText(kept, "earlier data");

        var run = CliRunner.Run("data", "fetch", "--dest", dest, "--url", server.Url("features.tar.gz"), "--labels-url", server.Url("labels.csv"));
        string line = CliRunner.AssertOneLineError(run);
        Assert.Contains("bal_train: data fingerprint", line);
        Assert.Contains("does not match the published", line);
        Assert.Equal("earlier data", File.ReadAllText(kept));
        Assert.Equal(["kept.tfrecord"], Directory.GetFiles(Path.Combine(dest, "bal_train")).Select(Path.GetFileName));
        Assert.False(Directory.Exists(Path.Combine(dest, "eval")));
        Assert.False(File.Exists(Path.Combine(dest, AudioSetFetch.DownloadFolder, "features.tar.gz"))); // damaged: fetched afresh next time
        Assert.Empty(Directory.GetDirectories(dest, ".fetch.*"));
    }

    [Fact]
    public void Bad_splits_urls_and_unreachable_servers_are_one_line_errors()
    {
        string dest = _temp.Folder("audioset");
        Assert.Contains("unknown split 'train'", CliRunner.AssertOneLineError(CliRunner.Run("data", "fetch", "--dest", dest, "--splits", "bal_train,train")));
        Assert.Contains("is not an http(s) URL", CliRunner.AssertOneLineError(CliRunner.Run("data", "fetch", "--dest", dest, "--url", "ftp://example/x.tar.gz")));
        using var server = new LoopbackServer(new());
        Assert.Contains("answered 404", CliRunner.AssertOneLineError(CliRunner.Run("data", "fetch", "--dest", dest, "--url", server.Url("features.tar.gz"))));
    }

    /// The real splits, packed as Google publishes them and fetched with the published fingerprints.
    [Trait("Category", "Dataset")]
    [Fact]
    public void The_real_splits_fetched_through_the_command_match_the_published_fingerprints()
    {
        var source = AudioSetData.Folder;
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            foreach (string split in new[] { "bal_train", "eval" })
            {
                foreach (string file in source.FilesOf(split))
                {
                    tar.WriteEntry(file, $"{Prefix}/{split}/{Path.GetFileName(file)}");
                }
            }
        }

        using var server = new LoopbackServer(new()
        {
            ["features.tar.gz"] = buffer.ToArray(),
            ["class_labels_indices.csv"] = File.ReadAllBytes(source.LabelsPath),
        }, cutFirstResponseAt: buffer.Length / 3);
        string dest = Path.Combine(_temp.Path, "audioset");
        var (exit, output, error) = CliRunner.Run("data", "fetch", "--dest", dest, "--url", server.Url("features.tar.gz"), "--labels-url", server.Url("class_labels_indices.csv"));
        Assert.True(exit == 0, error);
        Assert.Contains("bal_train: 4,070 files, data fingerprint verified", output);
        Assert.Contains("eval: 4,062 files, data fingerprint verified", output);
        Assert.Equal(PublishedFeatures.Fingerprints["bal_train"].Sha256, DataFingerprint.Compute(dest, AudioSetFolder.Open(dest).FilesOf("bal_train")));
    }

    [Trait("Category", "Dataset")]
    [Fact]
    public void The_published_bal_train_fingerprint_is_the_reference_models()
    {
        string manifest = File.ReadAllText(Path.Combine(RepositoryRoot(), "artifacts", "reference", "manifest.json"));
        Assert.Contains($"\"sha256\": \"{PublishedFeatures.Fingerprints["bal_train"].Sha256}\"", manifest);
        var folder = AudioSetData.Folder;
        foreach (var (split, expected) in PublishedFeatures.Fingerprints)
        {
            Assert.Equal(expected.Sha256, DataFingerprint.Compute(folder.Root, folder.FilesOf(split)));
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Custom.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Custom.sln not found above the test output");
    }

    private sealed class Collect(Action<FetchProgress> report) : IProgress<FetchProgress>
    {
        public void Report(FetchProgress value) => report(value);
    }
}
