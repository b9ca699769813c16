using System.Diagnostics;
using Custom.Data;
using Custom.Data.AudioSet;
using Custom.Data.Ingest;
using Custom.Data.Selection;
using Custom.Data.TfRecords;
using Custom.Tests.Support;

namespace Custom.Tests.Data;

/// One validation of a clip for every command, and files that must never be opened.
public sealed class ClipValidationTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string[] Problems(string path)
    {
        var stats = AudioSetIngest.Scan([path], ClipSelector.Default, new IngestOptions { OnCorrupt = OnCorrupt.Skip, Threads = 1 });
        return stats.SkippedSamples.ToArray();
    }

    [Theory]
    [InlineData(11)]
    [InlineData(1000)]
    public void Clips_over_ten_frames_are_accepted_whole_by_every_reader(int frames)
    {
        string path = Fixtures.WriteClips(_temp.File("long.tfrecord"), TinyData.Clip("long", 0, frames, 1));
        var clip = Assert.Single(AudioSetIngest.ReadClips([path]));
        Assert.Equal(frames, clip.FrameCount);
        Assert.Equal(1, AudioSetIngest.Scan([path], ClipSelector.Default).ClipsSelected);
    }

    [Theory]
    [InlineData(float.NaN, "is NaN, not a finite time")]
    [InlineData(float.PositiveInfinity, "is +infinity, not a finite time")]
    [InlineData(float.NegativeInfinity, "is -infinity, not a finite time")]
    public void Non_finite_start_times_are_invalid_clips_named_by_file_and_offset(float start, string words)
    {
        var good = TinyData.Clip("good", 0, 10, 1);
        var bad = new AudioSetClip("bad", start, 10f, [0], new byte[1280]);
        string path = Fixtures.WriteClips(_temp.File("times.tfrecord"), good, bad);
        long offset = Fixtures.OffsetOf(1, good.ToRecord(), bad.ToRecord());
        var error = Assert.Throws<CorruptRecordException>(() => AudioSetIngest.ReadClips([path], new IngestOptions { Threads = 1 }).ToList());
        Assert.Equal(CorruptionKind.InvalidClip, error.Kind);
        Assert.Contains($"byte offset {offset}", error.Message);
        Assert.Contains($"'start_time_seconds' {words}", error.Message);
        Assert.Single(Problems(path));
    }

    [Theory]
    [InlineData(1L << 31)]
    [InlineData(1_500_000_000L)]
    public void Absurd_lengths_with_a_valid_crc_are_refused_before_allocating(long declared)
    {
        // A sparse file large enough to hold the declared length, so only the limit can stop the read.
        string path = _temp.File("huge.tfrecord");
        var header = new byte[TfRecordFormat.HeaderSize];
        TfRecordFormat.WriteHeader(header, (ulong)declared);
        using (var stream = File.Create(path))
        {
            stream.Write(header);
            stream.SetLength(declared + 64);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        using var reader = TfRecordReader.Open(path);
        var error = Assert.Throws<CorruptRecordException>(() => reader.TryRead(out _));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1_000_000);
        Assert.Equal(CorruptionKind.LengthTooLarge, error.Kind);
        Assert.Contains($"declared length {declared} exceeds the {TfRecordReader.MaxRecordLength}-byte limit", error.Message);
        Assert.Contains("byte offset 0", error.Message);
    }

    [Fact]
    public async Task A_fifo_named_tfrecord_is_refused_without_blocking()
    {
        string fifo = _temp.File("pipe.tfrecord");
        Process.Start("mkfifo", [fifo])!.WaitForExit();
        var read = Task.Run(() => Assert.Throws<InvalidInputException>(() => TfRecordReader.Open(fifo)));
        var error = await read.WaitAsync(TimeSpan.FromSeconds(10)); // a TimeoutException if opening blocked
        Assert.Contains("is not a regular file", error.Message);
    }

    [Fact]
    public void Devices_and_folders_are_refused()
    {
        Assert.Contains("is not a regular file", Assert.Throws<InvalidInputException>(() => TfRecordReader.Open("/dev/zero")).Message);
        string folder = _temp.Folder("folder.tfrecord");
        Assert.Contains("is a folder", Assert.Throws<InvalidInputException>(() => TfRecordReader.Open(folder)).Message);
        // A folder named *.tfrecord inside a split is not one of its files.
        string split = _temp.Folder("split");
        Directory.CreateDirectory(Path.Combine(split, "sub.tfrecord"));
        Fixtures.WriteClips(Path.Combine(split, "a.tfrecord"), TinyData.Clip("a", 0, 3, 1));
        Assert.Equal(["a.tfrecord"], AudioSetIngest.ResolveFiles(split).Select(Path.GetFileName));
    }

    [Fact]
    public void Inputs_that_name_no_files_are_errors_when_files_are_required()
    {
        string empty = _temp.Folder("empty");
        Assert.Contains("holds no .tfrecord files", Assert.Throws<InvalidInputException>(() => AudioSetIngest.ResolveFiles(empty, requireAny: true)).Message);
        Assert.Contains("matches no files", Assert.Throws<InvalidInputException>(() => AudioSetIngest.ResolveFiles(Path.Combine(empty, "x*.tfrecord"), requireAny: true)).Message);
        Assert.Empty(AudioSetIngest.ResolveFiles(empty));
    }

    [Fact]
    public void Repeated_clips_and_clips_shared_by_the_splits_are_warned_about()
    {
        var train = TinyData.Clips("tr", 3, 1);
        var eval = TinyData.Clips("ev", 2, 2);
        string trainFile = Fixtures.WriteClips(_temp.File("train.tfrecord"), [.. train, train[0], train[1]]);
        string evalFile = Fixtures.WriteClips(_temp.File("eval.tfrecord"), [.. eval, train[5]]);
        var trainClips = AudioSetIngest.ReadSelected([trainFile], ClipSelector.Default);
        var evalClips = AudioSetIngest.ReadSelected([evalFile], ClipSelector.Default);
        var warnings = DataChecks.Warnings("bal_train", trainClips, "eval", evalClips, null);
        Assert.Equal(2, warnings.Count);
        Assert.Contains("bal_train: 2 clips appear more than once", warnings[0]);
        Assert.Contains("1 clips of eval are also in bal_train", warnings[1]);
        Assert.Contains(train[5].VideoId, warnings[1]);
        Assert.Empty(DataChecks.Warnings("bal_train", AudioSetIngest.ReadSelected([Fixtures.WriteClips(_temp.File("clean.tfrecord"), train)], ClipSelector.Default), null));
    }

    [Fact]
    public void Labels_outside_the_label_list_are_warned_about()
    {
        var clips = new[] { TinyData.Clip("ok", 0, 3, 1), new AudioSetClip("odd", 0f, 10f, [0, 600], new byte[128]), new AudioSetClip("odd2", 0f, 10f, [9999], new byte[128]) };
        string path = Fixtures.WriteClips(_temp.File("labels.tfrecord"), clips);
        var stats = AudioSetIngest.Scan([path], ClipSelector.Default);
        Assert.Equal(9999, stats.MaxLabel);
        Assert.Equal(2, stats.ClipsWithLabelsBeyondAudioSet);
        string warning = DataChecks.LabelWarning("bal_train", stats, null)!;
        Assert.Equal("bal_train: 2 clips carry labels outside the label list (up to 9999; classes are 0 to 526); those labels never select a clip", warning);
        Assert.Null(DataChecks.LabelWarning("bal_train", AudioSetIngest.Scan([Fixtures.WriteClips(_temp.File("ok.tfrecord"), clips[0])], ClipSelector.Default), null));
    }
}
