using System.Text.Json;
using Custom.Audio.Features;
using Custom.Audio.NumPy;
using Custom.Data.Ingest;
using Custom.Tests.Cli;
using Custom.Tests.Support;

namespace Custom.Tests.Audio;

/// `custom audio logmel`, `custom embed --no-pca` and `custom bench audio` without the AudioSet data.
public sealed class AudioCliTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Logmel_writes_the_examples_as_a_numpy_float32_array()
    {
        var samples = TestSignals.ToUnit(TestSignals.Get("chirp"));
        string input = _temp.File("chirp.wav");
        File.WriteAllBytes(input, WavBuilder.Mono16(samples));
        string output = _temp.File("chirp.npy");

        var result = CliRunner.Run("audio", "logmel", "--input", input, "--out", output);

        Assert.True(result.Exit == 0, result.Err);
        using var stream = File.OpenRead(output);
        var array = NpyArray.Read(stream);
        Assert.Equal([3, 96, 64], array.Shape);
        Assert.Equal(VggishLogMel.Compute(samples).Select(v => (double)v), array.Values);
    }

    [Fact]
    public void Embed_without_pca_quantizes_the_network_output()
    {
        string network = AudioFiles.Network(_temp.Path, Custom.Cli.Bench.VggishTestNetwork.Layout.ChannelsFirst);
        string input = _temp.File("mix.flac");
        string wav = _temp.File("mix.wav");
        File.WriteAllBytes(wav, WavBuilder.Mono16(TestSignals.ToUnit(TestSignals.Get("mix"))));
        DecodingTests.Ffmpeg("-i", wav, input);
        string output = _temp.File("mix.tfrecord");

        var result = CliRunner.Run("embed", "--vggish", network, "--no-pca", "--input", input, "--out", output);

        Assert.True(result.Exit == 0, result.Err);
        var clip = Assert.Single(AudioSetIngest.ReadClips([output]));
        Assert.Equal("mix", clip.VideoId);
        Assert.Equal(10, clip.FrameCount);
        Assert.Empty(clip.Labels);
        using (var embedder = Custom.Audio.AudioEmbedder.Load(network, null))
        {
            Assert.Equal(AudioFiles.Embed(embedder, File.ReadAllBytes(wav))[0].Frames, clip.Frames.ToArray());
        }

        // A folder laid out like AudioSet's is reported on like AudioSet.
        string data = _temp.Folder("own-data");
        foreach (string split in new[] { "bal_train", "eval" })
        {
            Directory.CreateDirectory(Path.Combine(data, split));
            File.Copy(output, Path.Combine(data, split, "mix.tfrecord"));
        }

        var report = CliRunner.Run("report", "--data", data, "--out", _temp.Folder("report"));
        Assert.True(report.Exit == 0, report.Err);
        Assert.True(File.Exists(Path.Combine(_temp.Path, "report", "class-distribution.json")));
    }

    [Fact]
    public void Bench_audio_prints_the_log_mel_measurement()
    {
        var result = CliRunner.Run("bench", "audio", "--skip-network", "--repeat", "3");

        Assert.True(result.Exit == 0, result.Err);
        var line = JsonDocument.Parse(Assert.Single(result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries))).RootElement;
        Assert.Equal("logmel_one_thread", line.GetProperty("measure").GetString());
        Assert.True(line.GetProperty("best_ms").GetDouble() > 0);
        Assert.Equal(1, line.GetProperty("threads").GetInt32());
    }
}
