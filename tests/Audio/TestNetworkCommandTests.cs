using Custom.Audio;
using Custom.Cli.Bench;
using Custom.Tests.Cli;
using Custom.Tests.Support;
using Google.Protobuf;

namespace Custom.Tests.Audio;

/// `custom audio test-network`: the seeded VGGish-shaped network users can try the audio chain with.
public sealed class TestNetworkCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Writes_the_seeded_narrow_network_which_the_embedder_loads_and_runs()
    {
        string path = _temp.File("vggish-test.onnx");

        var result = CliRunner.Run("audio", "test-network", "--out", path, "--seed", "7");

        Assert.True(result.Exit == 0, result.Err);
        Assert.Contains("its embeddings mean nothing", result.Out, StringComparison.Ordinal);
        Assert.Equal(VggishTestNetwork.Build(7, VggishTestNetwork.Narrow, VggishTestNetwork.Layout.Frames).ToByteArray(), File.ReadAllBytes(path));
        using var embedder = AudioEmbedder.Load(path, AudioFiles.Pca);
        var windows = AudioFiles.Embed(embedder, WavBuilder.Mono16(TestSignals.ToUnit(TestSignals.Get("mix"))));
        var window = Assert.Single(windows);
        Assert.Equal(10, window.FrameCount);
        Assert.True(window.Frames.Distinct().Count() > 10, "the frames vary");
    }

    [Fact]
    public void The_seed_decides_the_weights()
    {
        string a = _temp.File("a.onnx");
        string b = _temp.File("b.onnx");
        string c = _temp.File("c.onnx");

        Assert.Equal(0, CliRunner.Run("audio", "test-network", "--out", a).Exit);
        Assert.Equal(0, CliRunner.Run("audio", "test-network", "--out", b, "--seed", "1").Exit);
        Assert.Equal(0, CliRunner.Run("audio", "test-network", "--out", c, "--seed", "2").Exit);

        Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b)); // the default seed is 1
        Assert.NotEqual(File.ReadAllBytes(a), File.ReadAllBytes(c));
    }

    [Fact]
    public void An_unwritable_output_is_one_line_and_leaves_nothing()
    {
        string folder = _temp.Folder("taken");
        string path = Path.Combine(folder, "x.onnx");
        Directory.CreateDirectory(path); // a folder where the file should go

        string line = CliRunner.AssertOneLineError(CliRunner.Run("audio", "test-network", "--out", path));

        Assert.Contains("x.onnx", line, StringComparison.Ordinal);
        Assert.Equal([path], Directory.GetFileSystemEntries(folder));
    }
}
