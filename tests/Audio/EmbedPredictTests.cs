using System.Text.Json;
using Custom.Audio;
using Custom.Data.Ingest;
using Custom.Data.Selection;
using Custom.Tests.Cli;
using Custom.Tests.Support;

namespace Custom.Tests.Audio;

/// `custom embed` → TFRecord → `custom predict`, and `custom predict --audio`, with a narrow test network and a
/// package trained on the real AudioSet embeddings.
[Trait("Category", "Dataset")]
public sealed class EmbedPredictTests : IClassFixture<PackageFixture>, IDisposable
{
    private readonly PackageFixture _package;
    private readonly TempFolder _temp = new();
    private readonly string _network;
    private readonly string _recordings;

    public EmbedPredictTests(PackageFixture package)
    {
        _package = package;
        _network = AudioFiles.Network(_temp.Path);
        _recordings = _temp.Folder("recordings");
        var mix = TestSignals.ToUnit(TestSignals.Get("mix"));
        var voice = TestSignals.ToUnit(TestSignals.Get("voice"));
        // street.wav: 21.5 s at 16 kHz → windows of 10, 10 and 1.5 s; voice.wav: 1.5 s, stereo 24-bit.
        File.WriteAllBytes(Path.Combine(_recordings, "street.wav"), WavBuilder.Mono16([.. mix, .. mix, .. voice]));
        File.WriteAllBytes(Path.Combine(_recordings, "voice.wav"), WavBuilder.Build([voice, voice], 16_000, WavBuilder.Encoding.Pcm24));
        File.WriteAllText(Path.Combine(_recordings, "notes.txt"), "not a recording; skipped by extension");
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Embed_writes_one_audioset_clip_per_window_and_predict_reads_it()
    {
        string records = _temp.File("own.tfrecord");
        var embed = CliRunner.Run("embed", "--vggish", _network, "--pca", AudioFiles.Pca, "--input", _recordings, "--out", records, "--label", "Siren", "Car");
        Assert.True(embed.Exit == 0, embed.Err);

        var clips = AudioSetIngest.ReadClips([records]).ToList();
        Assert.Equal(["street", "street", "street", "voice"], clips.Select(c => c.VideoId));
        Assert.Equal([0f, 10f, 20f, 0f], clips.Select(c => c.StartTimeSeconds));
        Assert.Equal([10f, 20f, 21.5f, 1.5f], clips.Select(c => c.EndTimeSeconds));
        Assert.Equal([10, 10, 1, 1], clips.Select(c => c.FrameCount));
        Assert.All(clips, c => Assert.Equal([396, 307], c.Labels));

        using (var embedder = AudioEmbedder.Load(_network, AudioFiles.Pca))
        {
            var direct = AudioFiles.Embed(embedder, File.ReadAllBytes(Path.Combine(_recordings, "street.wav")));
            Assert.Equal(direct.Select(w => w.Frames), clips.Take(3).Select(c => c.Frames.ToArray()));
        }

        // The selection counts the file like any AudioSet split.
        var selected = AudioSetIngest.ReadSelected([records], new ClipSelector(ClassSet.Default, SelectionPolicy.FirstListed));
        Assert.Equal(4, selected.Clips.Count);

        var predict = CliRunner.Run("predict", "--model", _package.Directory, "--input", records);
        Assert.True(predict.Exit == 0, predict.Err);
        var lines = predict.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(4, lines.Count);
        Assert.All(lines, l => Assert.Contains(l.GetProperty("label").GetString(), ClassSet.Default.Names));

        var fromAudio = CliRunner.Run("predict", "--model", _package.Directory, "--audio", Path.Combine(_recordings, "street.wav"), "--vggish", _network, "--pca", AudioFiles.Pca);
        Assert.True(fromAudio.Exit == 0, fromAudio.Err);
        var audioLines = fromAudio.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(3, audioLines.Count);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(lines[i].GetProperty("label").GetString(), audioLines[i].GetProperty("label").GetString());
            Assert.Equal(lines[i].GetProperty("score").GetDouble(), audioLines[i].GetProperty("score").GetDouble(), 1e-6);
            Assert.Equal(i * 10.0, audioLines[i].GetProperty("start_time_seconds").GetDouble());
        }
    }

    [Fact]
    public void A_bad_recording_fails_the_embed_and_leaves_the_output_alone()
    {
        string records = _temp.File("kept.tfrecord");
        File.WriteAllText(records, "existing");
        File.WriteAllBytes(Path.Combine(_recordings, "zz-broken.wav"), WavBuilder.Mono16(new double[8_000])[..40]);
        string line = CliRunner.AssertOneLineError(CliRunner.Run("embed", "--vggish", _network, "--pca", AudioFiles.Pca, "--input", _recordings, "--out", records));
        Assert.Contains("zz-broken.wav", line);
        Assert.Equal("existing", File.ReadAllText(records));
    }

    [Theory]
    [InlineData("predict", "give exactly one of --input (TFRecord) and --audio (a sound file)")]
    [InlineData("predict-audio-no-pca-choice", "give exactly one of --pca PARAMS.npz and --no-pca")]
    [InlineData("embed-unknown-label", "unknown class 'Unicorn'")]
    public void Option_mistakes_are_one_line(string kind, string expected)
    {
        string wav = Path.Combine(_recordings, "voice.wav");
        string[] args = kind switch
        {
            "predict" => ["predict", "--model", _package.Directory],
            "predict-audio-no-pca-choice" => ["predict", "--model", _package.Directory, "--audio", wav, "--vggish", _network],
            _ => ["embed", "--vggish", _network, "--pca", AudioFiles.Pca, "--input", wav, "--out", _temp.File("x.tfrecord"), "--label", "Unicorn"],
        };
        Assert.Contains(expected, CliRunner.AssertOneLineError(CliRunner.Run(args)));
    }
}
