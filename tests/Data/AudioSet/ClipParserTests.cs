using Custom.Data;
using Custom.Data.AudioSet;
using Custom.Data.Ingest;
using Custom.Data.Protos;
using Custom.Data.TfRecords;
using Custom.Tests.Support;
using Google.Protobuf;

namespace Custom.Tests.Data.AudioSet;

public sealed class ClipParserTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static void AssertSameClip(AudioSetClip expected, AudioSetClip actual)
    {
        Assert.Equal(expected.VideoId, actual.VideoId);
        Assert.Equal(expected.StartTimeSeconds, actual.StartTimeSeconds);
        Assert.Equal(expected.EndTimeSeconds, actual.EndTimeSeconds);
        Assert.Equal(expected.Labels, actual.Labels);
        Assert.True(expected.Frames.Span.SequenceEqual(actual.Frames.Span), $"frames differ for {expected.VideoId}");
    }

    [Trait("Category", "Dataset")]
    [Fact]
    public void Span_parser_agrees_with_the_generated_protobuf_parser_on_every_real_record()
    {
        var folder = AudioSetData.Folder;
        var fields = new ClipFields();
        int records = 0;
        var frameCounts = new int[11];
        foreach (string file in folder.Splits.SelectMany(folder.FilesOf))
        {
            using var reader = TfRecordReader.Open(file);
            while (reader.TryRead(out var record))
            {
                // Every real record is in TensorFlow's canonical layout: check the fast path and the general walk.
                Assert.True(CanonicalClipParser.TryParse(record, ResetFields(fields)), $"{file}: record {reader.RecordIndex} is not canonical");
                var ours = AudioSetClip.FromFields(record, fields);
                var generated = ClipProto.FromSequenceExample(SequenceExample.Parser.ParseFrom(record));
                AssertSameClip(generated, ours);
                Assert.Null(ClipParser.TryParseGeneral(record, fields));
                AssertSameClip(generated, AudioSetClip.FromFields(record, fields));
                frameCounts[ours.FrameCount]++;
                records++;
            }
        }

        Assert.Equal(22_160 + 20_371, records);
        Assert.Equal(0, frameCounts[0]);
        int shorter = frameCounts[1..10].Sum();
        Assert.InRange(shorter, 100, 999); // "a few hundred" clips have fewer than 10 frames…
        Assert.Equal(records - shorter, frameCounts[10]); // …and every other clip has exactly 10
    }

    private static ClipFields ResetFields(ClipFields fields)
    {
        fields.Reset();
        return fields;
    }

    [Trait("Category", "Dataset")]
    [Fact]
    public void Damaged_real_records_never_crash_the_parser_and_whatever_it_accepts_the_generated_parser_reads_alike()
    {
        var folder = AudioSetData.Folder;
        var records = folder.FilesOf(folder.Splits[0]).Take(40).SelectMany(f => TfRecordReader.ReadAll(f)).ToList();
        var random = new Random(7);
        var fields = new ClipFields();
        int accepted = 0;
        for (int i = 0; i < 20_000; i++)
        {
            var original = records[i % records.Count];
            var damaged = Damage(original, random);
            string? problem = ClipParser.TryParse(damaged, fields); // must not throw
            if (problem is not null)
            {
                continue;
            }

            accepted++;
            var ours = AudioSetClip.FromFields(damaged, fields);
            AssertSameClip(ClipProto.FromSequenceExample(SequenceExample.Parser.ParseFrom(damaged)), ours);
            Assert.Null(ClipParser.TryParseGeneral(damaged, fields));
            AssertSameClip(ours, AudioSetClip.FromFields(damaged, fields));
        }

        Assert.InRange(accepted, 1, 19_999); // some damage lands in frame bytes, most breaks the structure
    }

    /// One to three random byte changes, and sometimes a cut, mostly in the first 200 bytes where the structure is.
    private static byte[] Damage(byte[] record, Random random)
    {
        var copy = (byte[])record.Clone();
        for (int n = random.Next(1, 4); n > 0; n--)
        {
            int at = random.Next(2) == 0 ? random.Next(Math.Min(200, copy.Length)) : random.Next(copy.Length);
            copy[at] = random.Next(3) switch
            {
                0 => (byte)random.Next(256),
                1 => (byte)(copy[at] ^ (1 << random.Next(8))),
                _ => (byte)(copy[at] + random.Next(-2, 3)),
            };
        }

        return random.Next(8) == 0 ? copy[..random.Next(copy.Length)] : copy;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(10)]
    [InlineData(12)]
    public void Clips_written_by_the_writer_read_back_identically(int frames)
    {
        var clip = Fixtures.Clip("abcDEF_123", frames, 0, 74, 500);
        string path = Fixtures.WriteClips(_temp.File("clips.tfrecord"), clip, Fixtures.Clip("second", 3, 3));
        var clips = AudioSetIngest.ReadClips([path]).ToList();
        Assert.Equal(2, clips.Count);
        AssertSameClip(clip, clips[0]);
        Assert.Equal(frames, clips[0].FrameCount);
        AssertSameClip(clip, ClipProto.FromSequenceExample(SequenceExample.Parser.ParseFrom(clip.ToRecord())));
    }

    private static SequenceExample ValidExample() => ClipProto.ToSequenceExample(Fixtures.Clip("vid", 3, 0));

    public static TheoryData<string, string> BrokenExamples() => new()
    {
        { "no-embedding", "missing feature list 'audio_embedding'" },
        { "zero-frames", "feature list 'audio_embedding' has no frames" },
        { "short-frame", "frame 1 of 'audio_embedding' is 127 bytes, expected 128" },
        { "no-labels", "missing context feature 'labels'" },
        { "no-video-id", "missing context feature 'video_id'" },
        { "labels-as-floats", "context feature 'labels' must be an int64_list" },
    };

    private static byte[] Broken(string kind)
    {
        var example = ValidExample();
        switch (kind)
        {
            case "no-embedding":
                example.FeatureLists.FeatureList.Clear();
                break;
            case "zero-frames":
                example.FeatureLists.FeatureList["audio_embedding"].Feature.Clear();
                break;
            case "short-frame":
                example.FeatureLists.FeatureList["audio_embedding"].Feature[1].BytesList.Value[0] = ByteString.CopyFrom(new byte[127]);
                break;
            case "no-labels":
                example.Context.Feature.Remove("labels");
                break;
            case "no-video-id":
                example.Context.Feature.Remove("video_id");
                break;
            case "labels-as-floats":
                example.Context.Feature["labels"] = new Feature { FloatList = new FloatList { Value = { 1f } } };
                break;
        }

        return example.ToByteArray();
    }

    [Theory]
    [MemberData(nameof(BrokenExamples))]
    public void Invalid_clips_are_reported_with_file_offset_and_problem(string kind, string problem)
    {
        var good = ValidExample().ToByteArray();
        string path = Fixtures.WriteRecords(_temp.File($"{kind}.tfrecord"), good, Broken(kind));
        var error = Assert.Throws<CorruptRecordException>(() => AudioSetIngest.ReadClips([path]).ToList());
        Assert.Equal(CorruptionKind.InvalidClip, error.Kind);
        Assert.Equal($"{path}: record 1 at byte offset {16 + good.Length}: {problem}", error.Message);
    }

    [Theory]
    [MemberData(nameof(BrokenExamples))]
    public void Invalid_clips_are_skipped_and_counted_under_skip(string kind, string problem)
    {
        string path = Fixtures.WriteRecords(_temp.File($"{kind}.tfrecord"), ValidExample().ToByteArray(), Broken(kind));
        var result = AudioSetIngest.ReadSelected([path], Custom.Data.Selection.ClipSelector.Default, new IngestOptions { OnCorrupt = OnCorrupt.Skip });
        Assert.Single(result.Clips);
        Assert.Equal(1, result.Stats.RecordsSkipped);
        Assert.Contains(problem, Assert.Single(result.Stats.SkippedSamples));
    }

    [Fact]
    public void Garbage_bytes_are_a_clear_error_not_a_crash()
    {
        var error = Assert.Throws<InvalidInputException>(() => AudioSetClip.Parse([0x0A, 0xFF, 0xFF, 0x01, 0x00]));
        Assert.StartsWith("invalid AudioSet record: malformed SequenceExample: field declares", error.Message);
    }

    [Fact]
    public void Unpacked_and_reordered_fields_parse_like_the_generated_parser()
    {
        // Hand-encode a SequenceExample the way no TensorFlow writer would: feature_lists before context,
        // labels as unpacked varints, the map entry's value before its key.
        var output = new MemoryStream();
        var coded = new CodedOutputStream(output);
        var lists = new FeatureLists();
        lists.FeatureList.Add("audio_embedding", new FeatureList { Feature = { new Feature { BytesList = new BytesList { Value = { ByteString.CopyFrom(new byte[128]) } } } } });
        coded.WriteTag(2, WireFormat.WireType.LengthDelimited);
        coded.WriteMessage(lists);
        var context = new Features();
        context.Feature.Add("video_id", new Feature { BytesList = new BytesList { Value = { ByteString.CopyFromUtf8("xyz") } } });
        context.Feature.Add("start_time_seconds", new Feature { FloatList = new FloatList { Value = { 1.5f } } });
        context.Feature.Add("end_time_seconds", new Feature { FloatList = new FloatList { Value = { 2.5f } } });
        coded.WriteTag(1, WireFormat.WireType.LengthDelimited);
        coded.WriteMessage(context);
        var labelsEntry = new MemoryStream();
        var entry = new CodedOutputStream(labelsEntry);
        var unpackedLabels = new MemoryStream();
        var labels = new CodedOutputStream(unpackedLabels);
        foreach (long label in new long[] { 74, 0 })
        {
            labels.WriteTag(1, WireFormat.WireType.Varint);
            labels.WriteInt64(label);
        }

        labels.Flush();
        var feature = new MemoryStream();
        var featureCoded = new CodedOutputStream(feature);
        featureCoded.WriteTag(3, WireFormat.WireType.LengthDelimited);
        featureCoded.WriteBytes(ByteString.CopyFrom(unpackedLabels.ToArray()));
        featureCoded.Flush();
        entry.WriteTag(2, WireFormat.WireType.LengthDelimited);
        entry.WriteBytes(ByteString.CopyFrom(feature.ToArray()));
        entry.WriteTag(1, WireFormat.WireType.LengthDelimited);
        entry.WriteString("labels");
        entry.Flush();
        var contextWithLabels = new MemoryStream();
        var contextCoded = new CodedOutputStream(contextWithLabels);
        contextCoded.WriteTag(1, WireFormat.WireType.LengthDelimited);
        contextCoded.WriteBytes(ByteString.CopyFrom(labelsEntry.ToArray()));
        contextCoded.Flush();
        coded.WriteTag(1, WireFormat.WireType.LengthDelimited);
        coded.WriteBytes(ByteString.CopyFrom(contextWithLabels.ToArray()));
        coded.Flush();
        var record = output.ToArray();

        var ours = AudioSetClip.Parse(record);
        AssertSameClip(ClipProto.FromSequenceExample(SequenceExample.Parser.ParseFrom(record)), ours);
        Assert.Equal([74, 0], ours.Labels);
        Assert.Equal("xyz", ours.VideoId);
    }
}
