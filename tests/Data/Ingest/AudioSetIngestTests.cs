using Custom.Data;
using Custom.Data.Ingest;
using Custom.Data.Selection;
using Custom.Data.TfRecords;
using Custom.Tests.Support;

namespace Custom.Tests.Data.Ingest;

public sealed class AudioSetIngestTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string, long, long, long[]> PublishedCounts() => new()
    {
        // Speech, Child speech, Dog, Pigeon/dove, Musical instrument, Car, Vehicle horn, Rail transport, Siren, Jackhammer
        { "bal_train", 22_160, 6_683, [5_303, 35, 180, 60, 444, 197, 29, 187, 206, 42] },
        { "eval", 20_371, 6_089, [4_872, 44, 128, 60, 351, 186, 25, 167, 212, 44] },
    };

    [Trait("Category", "Dataset")]
    [Theory]
    [MemberData(nameof(PublishedCounts))]
    public void Scan_counts_the_real_splits(string split, long total, long selected, long[] perClass)
    {
        var stats = AudioSetIngest.Scan(AudioSetData.Folder.FilesOf(split), ClipSelector.Default);
        Assert.Equal(total, stats.ClipsTotal);
        Assert.Equal(selected, stats.ClipsSelected);
        Assert.Equal(perClass, stats.PerClass);
        Assert.Equal(total, stats.ClipsSelected + stats.ClipsMulti + stats.ClipsNone);
        Assert.Equal(0, stats.RecordsSkipped);
        Assert.Equal(total, stats.FrameCountsAll.Sum());
        Assert.Equal(0, stats.FrameCountsAll[0]);
    }

    [Trait("Category", "Dataset")]
    [Fact]
    public void Reading_selected_clips_gives_the_same_clips_in_the_same_order_on_any_thread_count()
    {
        var files = AudioSetData.Folder.FilesOf("eval");
        var one = AudioSetIngest.ReadSelected(files, ClipSelector.Default, new IngestOptions { Threads = 1 });
        var two = AudioSetIngest.ReadSelected(files, ClipSelector.Default, new IngestOptions { Threads = 2 });
        Assert.Equal(6_089, one.Clips.Count);
        Assert.Equal(one.Clips.Select(c => (c.Clip.VideoId, c.Clip.StartTimeSeconds, c.Label)), two.Clips.Select(c => (c.Clip.VideoId, c.Clip.StartTimeSeconds, c.Label)));
        Assert.Equal(one.Stats.PerClass, two.Stats.PerClass);
        for (int label = 0; label < ClassSet.Default.Count; label++)
        {
            Assert.Equal(one.Stats.PerClass[label], one.Clips.Count(c => c.Label == label));
        }
    }

    [Trait("Category", "Dataset")]
    [Fact]
    public void Filter_copies_selected_records_byte_for_byte()
    {
        var files = AudioSetData.Folder.FilesOf("bal_train");
        string output = _temp.File("selected.tfrecord");
        var stats = AudioSetIngest.WriteSelected(files, ClipSelector.Default, output);
        Assert.Equal(6_683, stats.ClipsSelected);

        var reread = AudioSetIngest.Scan([output], ClipSelector.Default);
        Assert.Equal(6_683, reread.ClipsTotal);
        Assert.Equal(stats.PerClass, reread.PerClass);
        var first = AudioSetIngest.ReadSelected(files, ClipSelector.Default, new IngestOptions { Threads = 1 }).Clips[0].Clip;
        Assert.Equal(first.ToString(), AudioSetIngest.ReadClips([output]).First().ToString());
    }

    [Fact]
    public void Filter_leaves_an_existing_output_untouched_when_input_is_corrupt()
    {
        string good = Fixtures.WriteClips(_temp.File("a.tfrecord"), Fixtures.Clip("dog", 10, 74));
        string bad = _temp.File("b.tfrecord");
        File.WriteAllText(bad, "this is not a TFRecord file at all");
        string output = _temp.File("out.tfrecord");
        File.WriteAllText(output, "previous contents");

        var error = Assert.Throws<CorruptRecordException>(() => AudioSetIngest.WriteSelected([good, bad], ClipSelector.Default, output));
        Assert.Equal(bad, error.FilePath);
        Assert.Equal("previous contents", File.ReadAllText(output));
        Assert.Equal(3, Directory.GetFiles(_temp.Path).Length); // no temporary file left behind
    }

    [Fact]
    public void Corrupt_file_fails_the_scan_with_its_name_or_is_skipped_and_counted()
    {
        string folder = _temp.Folder("split");
        Fixtures.WriteClips(Path.Combine(folder, "a.tfrecord"), Fixtures.Clip("dog", 10, 74), Fixtures.Clip("car", 4, 307));
        string bad = Fixtures.WriteClips(Path.Combine(folder, "b.tfrecord"), Fixtures.Clip("siren", 10, 396), Fixtures.Clip("speech", 2, 0));
        var bytes = File.ReadAllBytes(bad);
        bytes[^1] ^= 0xFF; // the last record's data CRC
        File.WriteAllBytes(bad, bytes);
        var files = AudioSetIngest.ResolveFiles(folder);

        var error = Assert.Throws<CorruptRecordException>(() => AudioSetIngest.Scan(files, ClipSelector.Default));
        Assert.Equal(bad, error.FilePath);
        Assert.Equal(1, error.RecordIndex);

        var stats = AudioSetIngest.Scan(files, ClipSelector.Default, new IngestOptions { OnCorrupt = OnCorrupt.Skip });
        Assert.Equal(3, stats.ClipsTotal);
        Assert.Equal(1, stats.RecordsSkipped);
        Assert.Equal([0L, 0, 1, 0, 0, 1, 0, 0, 1, 0], stats.PerClass);
        Assert.Equal(1, stats.FrameCountsAll[4]);
    }

    [Fact]
    public void Files_resolve_from_a_file_a_folder_or_a_glob_in_ordinal_order()
    {
        string folder = _temp.Folder("split");
        foreach (string name in new[] { "b.tfrecord", "a.tfrecord", "B.tfrecord", "notes.txt" })
        {
            File.WriteAllBytes(Path.Combine(folder, name), []);
        }

        Assert.Equal(["B.tfrecord", "a.tfrecord", "b.tfrecord"], AudioSetIngest.ResolveFiles(folder).Select(Path.GetFileName));
        Assert.Equal(["B.tfrecord", "a.tfrecord", "b.tfrecord"], AudioSetIngest.ResolveFiles(Path.Combine(folder, "?.tfrecord")).Select(Path.GetFileName));
        Assert.Equal(["a.tfrecord"], AudioSetIngest.ResolveFiles(Path.Combine(folder, "a*")).Select(Path.GetFileName));
        Assert.Single(AudioSetIngest.ResolveFiles(Path.Combine(folder, "a.tfrecord")));
        Assert.Contains("no such file or folder", Assert.Throws<InvalidInputException>(() => AudioSetIngest.ResolveFiles(Path.Combine(folder, "missing"))).Message);
    }

    [Fact]
    public void Folder_errors_name_the_folder()
    {
        Assert.EndsWith("folder not found", Assert.Throws<InvalidInputException>(() => AudioSetFolder.Open(_temp.File("nope"))).Message);
        Assert.Contains("no split folders found", Assert.Throws<InvalidInputException>(() => AudioSetFolder.Open(_temp.Path)).Message);
        string file = _temp.File("x.tfrecord");
        File.WriteAllText(file, "x");
        Assert.Contains("is a file, not an AudioSet folder", Assert.Throws<InvalidInputException>(() => AudioSetFolder.Open(file)).Message);
    }
}
