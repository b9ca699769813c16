using Custom.Inference;
using Custom.Tests.Support;

namespace Custom.Tests.Inference;

/// Needs the real AudioSet data (AudioSetLocator).
[Trait("Category", "Dataset")]
public sealed class SoundClassifierTests : IClassFixture<PackageFixture>, IDisposable
{
    private readonly PackageFixture _package;
    private readonly TempFolder _temp = new();

    public SoundClassifierTests(PackageFixture package) => _package = package;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Predictions_match_the_ml_net_model_on_every_eval_clip()
    {
        using var classifier = SoundClassifier.Load(_package.Directory);
        Assert.Equal(Custom.Data.Selection.ClassSet.Default.Names, classifier.Classes);
        var predictions = classifier.PredictBatch(_package.Eval.Select(c => c.Clip.Frames).ToList());
        var expected = _package.Run.Chosen.EvalProbabilities!;
        Assert.Equal(expected.Count, predictions.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(Array.IndexOf(expected[i], expected[i].Max()), predictions[i].Label);
            for (int c = 0; c < expected[i].Length; c++)
            {
                Assert.True(Math.Abs(expected[i][c] - predictions[i].Probabilities[c]) <= 1e-4, $"clip {i}, class {c}");
            }

            Assert.Equal(classifier.Classes[predictions[i].Label], predictions[i].ClassName);
            Assert.Equal(predictions[i].Probabilities[predictions[i].Label], predictions[i].Score);
        }

        // The single-clip call agrees with the batch (to float rounding: ONNX Runtime picks kernels by batch size),
        // short clips included, and garbage after the real frames changes nothing.
        int shortClip = _package.Eval.ToList().FindIndex(c => c.Clip.FrameCount < 10);
        var single = classifier.Predict(_package.Eval[shortClip].Clip.Frames.Span).Probabilities;
        Assert.All(single.Zip(predictions[shortClip].Probabilities), p => Assert.Equal(p.Second, p.First, 1e-6));
        var padded = new byte[1280];
        _package.Eval[shortClip].Clip.Frames.Span.CopyTo(padded);
        padded.AsSpan(_package.Eval[shortClip].Clip.Frames.Length).Fill(0xAB);
        Assert.Equal(single, classifier.Predict(padded, _package.Eval[shortClip].Clip.FrameCount).Probabilities);
    }

    [Fact]
    public void Concurrent_callers_get_the_same_answers_as_one_caller()
    {
        using var classifier = SoundClassifier.Load(_package.Directory);
        var clips = _package.Eval.Take(400).Select(c => c.Clip.Frames).ToList();
        var sequential = clips.Select(c => classifier.Predict(c.Span).Probabilities.ToArray()).ToList();
        var parallel = new float[clips.Count][];
        Parallel.For(0, clips.Count, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => parallel[i] = classifier.Predict(clips[i].Span).Probabilities.ToArray());
        Assert.Equal(sequential, parallel);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(127)]
    [InlineData(11 * 128)]
    public void Wrong_shapes_are_argument_errors(int bytes)
    {
        using var classifier = SoundClassifier.Load(_package.Directory);
        var error = Assert.Throws<ArgumentException>(() => classifier.Predict(new byte[bytes]));
        Assert.Contains($"{bytes} bytes is not 1 to 10 frames of 128 bytes", error.Message);
        Assert.Throws<ArgumentException>(() => classifier.Predict(new byte[1280], 0));
        Assert.Throws<ArgumentException>(() => classifier.PredictBatch([new byte[128], new byte[bytes]]));
    }

    [Fact]
    public void A_modified_model_is_refused_by_its_hash()
    {
        string copy = _package.Copy(_temp);
        string onnx = Path.Combine(copy, "model.onnx");
        var bytes = File.ReadAllBytes(onnx);
        bytes[^10] ^= 0x01;
        File.WriteAllBytes(onnx, bytes);
        var error = Assert.Throws<PackageException>(() => SoundClassifier.Load(copy));
        Assert.Contains(onnx, error.Message);
        Assert.Contains("does not match the manifest", error.Message);
    }

    [Fact]
    public void Missing_manifest_folder_or_file_is_a_package_error()
    {
        string copy = _package.Copy(_temp);
        File.Delete(Path.Combine(copy, "manifest.json"));
        Assert.Contains("manifest not found", Assert.Throws<PackageException>(() => SoundClassifier.Load(copy)).Message);
        Assert.Contains("package folder not found", Assert.Throws<PackageException>(() => SoundClassifier.Load(_temp.File("nowhere"))).Message);
        string other = _package.Copy(_temp);
        File.Delete(Path.Combine(other, "model.onnx"));
        Assert.Contains("listed in the manifest but missing", Assert.Throws<PackageException>(() => SoundClassifier.Load(other)).Message);
    }

    [Fact]
    public void A_manifest_from_another_model_is_refused()
    {
        string copy = _package.Copy(_temp);
        string manifest = Path.Combine(copy, "manifest.json");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("\"name\": \"Jackhammer\"", "\"name\": \"Jackhammer\"},{\"index\": 1, \"mid\": \"/m/x\", \"name\": \"Extra\""));
        var error = Assert.Throws<PackageException>(() => SoundClassifier.Load(copy));
        Assert.Contains("lists 11 classes", error.Message);
    }
}
