using Custom.Audio;
using Custom.Audio.Vggish;
using Custom.Cli.Bench;
using Custom.Data;
using Custom.Tests.Support;
using Custom.Training.Onnx;
using Google.Protobuf;
using static Custom.Training.Onnx.Protos.TensorProto.Types;

namespace Custom.Tests.Audio;

/// The VGGish runner on narrow VGGish-architecture networks with seeded weights, in every accepted layout.
public sealed class VggishModelTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Every_layout_gives_the_same_embeddings()
    {
        var examples = Custom.Audio.Features.VggishLogMel.Compute(TestSignals.ToUnit(TestSignals.Get("mix")));
        float[]? first = null;
        foreach (var layout in Enum.GetValues<VggishTestNetwork.Layout>())
        {
            using var model = VggishModel.Load(AudioFiles.Network(_temp.Path, layout));
            var embeddings = model.Embed(examples, 10);
            Assert.Equal(10 * 128, embeddings.Length);
            Assert.Contains(embeddings, v => v != 0);
            first ??= embeddings;
            Assert.Equal(first, embeddings);
        }
    }

    [Fact]
    public void Batches_and_single_examples_agree()
    {
        var examples = Custom.Audio.Features.VggishLogMel.Compute(TestSignals.ToUnit(TestSignals.Get("mix")));
        using var model = VggishModel.Load(AudioFiles.Network(_temp.Path));
        var all = model.Embed(examples, 10);
        var third = model.Embed(examples[(2 * 6144)..(3 * 6144)], 1);
        for (int i = 0; i < 128; i++)
        {
            Assert.Equal(all[(2 * 128) + i], third[i], 1e-4);
        }
    }

    [Fact]
    [Trait("Category", "Dataset")] // Google's PCA file, read from ../shared/vggish
    public void Embedder_gives_one_window_per_10_seconds()
    {
        using var embedder = AudioEmbedder.Load(AudioFiles.Network(_temp.Path), AudioFiles.Pca);
        var x = TestSignals.ToUnit(TestSignals.Get("mix")).Concat(TestSignals.ToUnit(TestSignals.Get("mix"))).Concat(TestSignals.ToUnit(TestSignals.Get("tone"))).ToArray();
        var windows = AudioFiles.Embed(embedder, WavBuilder.Mono16(x));

        Assert.Equal([0.0, 10.0, 20.0], windows.Select(w => w.StartSeconds));
        Assert.Equal([10.0, 20.0, 22.0], windows.Select(w => w.EndSeconds));
        Assert.Equal([10, 10, 2], windows.Select(w => w.FrameCount));
        Assert.All(windows, w => Assert.Equal(w.FrameCount * 128, w.Frames.Length));
        // The same 10 s of audio gives the same frames wherever it sits in the recording.
        Assert.Equal(windows[0].Frames, windows[1].Frames);
        Assert.True(windows[0].Frames.Distinct().Count() > 5);
    }

    [Fact]
    [Trait("Category", "Dataset")] // Google's PCA file, read from ../shared/vggish
    public void Embedder_is_thread_safe()
    {
        using var embedder = AudioEmbedder.Load(AudioFiles.Network(_temp.Path), AudioFiles.Pca);
        var file = WavBuilder.Mono16(TestSignals.ToUnit(TestSignals.Get("mix")));
        var expected = AudioFiles.Embed(embedder, file)[0].Frames;
        Parallel.For(0, 8, _ => Assert.Equal(expected, AudioFiles.Embed(embedder, file)[0].Frames));
    }

    [Theory]
    [InlineData("wrong-input", "a VGGish model takes float [N,96,64], [N,96,64,1] or [N,1,96,64]")]
    [InlineData("wrong-output", "a VGGish model gives float [N,128]")]
    [InlineData("not-onnx", "ONNX Runtime cannot load it")]
    [InlineData("missing", "VGGish model file not found")]
    public void Unsuitable_models_are_refused_clearly(string kind, string expected)
    {
        string path = _temp.File(kind + ".onnx");
        switch (kind)
        {
            case "wrong-input": Write(path, [64, 96], 128); break;
            case "wrong-output": Write(path, [96, 64], 256); break;
            case "not-onnx": File.WriteAllText(path, "not a model"); break;
        }

        var e = Assert.ThrowsAny<InvalidInputException>(() => VggishModel.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void A_fixed_batch_size_is_padded_and_gives_the_same_embeddings()
    {
        var examples = Custom.Audio.Features.VggishLogMel.Compute(TestSignals.ToUnit(TestSignals.Get("chirp")));
        string fixedBatch = _temp.File("fixed.onnx");
        string anyBatch = _temp.File("any.onnx");
        Project(fixedBatch, 2);
        Project(anyBatch, "N");
        using var fixedModel = VggishModel.Load(fixedBatch);
        using var anyModel = VggishModel.Load(anyBatch);

        var expected = anyModel.Embed(examples, 3);
        Assert.Equal(expected, fixedModel.Embed(examples, 3));
        Assert.Contains(expected, v => v != 0);
    }

    /// [batch, 96, 64] → flatten → a seeded 6144×128 projection.
    private static void Project(string path, object batch)
    {
        var random = new Random(11);
        var g = new OnnxGraph("projection").Opset("", 13);
        string input = g.Input("input", DataType.Float, batch, 96, 64);
        string flat = g.Node("Flatten", [input], attributes: ("axis", 1L));
        var weights = Enumerable.Range(0, 6144 * 128).Select(_ => (random.NextSingle() - 0.5f) * 0.01f).ToArray();
        g.Node("MatMul", [flat, g.RawConstant(weights, 6144, 128)], "out");
        g.Output("out", DataType.Float, batch, 128);
        using var file = File.Create(path);
        g.Build("test").WriteTo(file);
    }

    /// A network of the right kind but the wrong shapes: reshape the input to [N, 6144] and project to the output width.
    private static void Write(string path, int[] inputDims, int outputWidth)
    {
        var g = new OnnxGraph("wrong").Opset("", 13);
        string input = g.Input("input", DataType.Float, ["N", .. inputDims.Cast<object>()]);
        string flat = g.Node("Flatten", [input], attributes: ("axis", 1L));
        string weights = g.RawConstant(new float[6144 * outputWidth], 6144, outputWidth);
        g.Node("MatMul", [flat, weights], "out");
        g.Output("out", DataType.Float, "N", outputWidth);
        using var file = File.Create(path);
        g.Build("test").WriteTo(file);
    }
}
