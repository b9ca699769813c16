using System.Text.Json;
using Custom.Evaluation;
using Custom.Tests.Support;

namespace Custom.Tests.Cli;

public sealed class TrainCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static (int Exit, string Out, string Err) Train(string outDir, int folds = 3) =>
        CliRunner.Run("train", "--data", AudioSetData.Root, "--out", outDir, "--trainers", "sdca-maxent", "--features", "mean", "--folds", folds.ToString(), "--no-weighted");

    [Trait("Category", "Dataset")]
    [Fact]
    public void Train_writes_the_model_folder_and_evaluate_reproduces_metrics_exactly()
    {
        string first = Path.Combine(_temp.Path, "first");
        var (exit, output, error) = Train(first);
        Assert.True(exit == 0, error);
        foreach (string file in new[] { "model.zip", "model.onnx", "manifest.json", "metrics.json", "metrics.md", "leaderboard.json", "leaderboard.md", "timings.json" })
        {
            Assert.True(File.Exists(Path.Combine(first, file)), file);
        }

        Assert.Contains("chosen: sdca-maxent/mean", output);
        using (var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(first, "metrics.json"))))
        {
            Assert.Equal(6_089, metrics.RootElement.GetProperty("clips").GetInt32());
            Assert.Equal("sdca-maxent", metrics.RootElement.GetProperty("trainer").GetString());
            Assert.Equal(10, metrics.RootElement.GetProperty("confusion_matrix").GetArrayLength());
        }

        // A second run with the same seed: byte-identical scores.
        string second = Path.Combine(_temp.Path, "second");
        Assert.Equal(0, Train(second).Exit);
        Assert.Equal(File.ReadAllText(Path.Combine(first, "metrics.json")), File.ReadAllText(Path.Combine(second, "metrics.json")));
        Assert.Equal(File.ReadAllText(Path.Combine(first, "leaderboard.json")), File.ReadAllText(Path.Combine(second, "leaderboard.json")));

        // The saved model, scored again from scratch.
        string again = _temp.File("metrics-again.json");
        var evaluate = CliRunner.Run("evaluate", "--data", AudioSetData.Root, "--model", Path.Combine(first, "model.zip"), "--out", again);
        Assert.True(evaluate.Exit == 0, evaluate.Err);
        Assert.Equal(File.ReadAllText(Path.Combine(first, "metrics.json")), File.ReadAllText(again));

        // The package (ONNX Runtime): the same file, byte for byte.
        string viaOnnx = _temp.File("metrics-onnx.json");
        var fromPackage = CliRunner.Run("evaluate", "--data", AudioSetData.Root, "--model", first, "--out", viaOnnx);
        Assert.True(fromPackage.Exit == 0, fromPackage.Err);
        Assert.Equal(File.ReadAllText(Path.Combine(first, "metrics.json")), File.ReadAllText(viaOnnx));

        // predict: one JSON line per clip of the input.
        string input = Path.Combine(AudioSetData.Root, "eval", "-0.tfrecord");
        var predict = CliRunner.Run("predict", "--model", first, "--input", input);
        Assert.True(predict.Exit == 0, predict.Err);
        var lines = predict.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Custom.Data.Ingest.AudioSetIngest.ReadClips([input]).Count(), lines.Length);
        using var line = JsonDocument.Parse(lines[0]);
        Assert.Equal(10, line.RootElement.GetProperty("probabilities").EnumerateObject().Count());
        Assert.Equal(line.RootElement.GetProperty("score").GetDouble(), line.RootElement.GetProperty("probabilities").GetProperty(line.RootElement.GetProperty("label").GetString()!).GetDouble());
        Assert.False(string.IsNullOrEmpty(line.RootElement.GetProperty("video_id").GetString()));

        // bench inference: one JSON line per engine.
        var bench = CliRunner.Run("bench", "inference", "--data", AudioSetData.Root, "--model", first, "--single-calls", "50", "--batch-size", "512");
        Assert.True(bench.Exit == 0, bench.Err);
        var engines = bench.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["onnxruntime", "mlnet"], engines.Select(e => e.GetProperty("engine").GetString()));
        Assert.All(engines, e => Assert.True(e.GetProperty("p50_us").GetDouble() > 0 && e.GetProperty("batch_clips_per_s").GetDouble() > 0));
    }

    [Trait("Category", "Dataset")]
    [Fact]
    public void Predict_on_a_tampered_package_is_a_one_line_error()
    {
        string package = Path.Combine(_temp.Path, "package");
        Assert.Equal(0, Train(package).Exit);
        File.AppendAllText(Path.Combine(package, "model.onnx"), "x");
        string line = CliRunner.AssertOneLineError(CliRunner.Run("predict", "--model", package, "--input", Path.Combine(AudioSetData.Root, "eval", "-0.tfrecord")));
        Assert.Contains("does not match the manifest", line);
    }

    [Trait("Category", "Dataset")]
    [Fact]
    public void Bad_trainer_feature_and_folds_are_one_line_errors_that_leave_the_output_alone()
    {
        string outDir = _temp.Folder("kept");
        File.WriteAllText(Path.Combine(outDir, "metrics.json"), "{}");
        Assert.Contains("unknown trainer 'svm'", CliRunner.AssertOneLineError(CliRunner.Run("train", "--data", AudioSetData.Root, "--out", outDir, "--trainers", "svm")));
        Assert.Contains("unknown features 'mfcc'", CliRunner.AssertOneLineError(CliRunner.Run("train", "--data", AudioSetData.Root, "--out", outDir, "--features", "mfcc")));
        Assert.Contains("fewer than the 40 folds", CliRunner.AssertOneLineError(Train(outDir, folds: 40)));
        Assert.Equal("{}", File.ReadAllText(Path.Combine(outDir, "metrics.json")));
    }

    [Fact]
    public void A_data_folder_with_no_selected_clips_is_a_one_line_error()
    {
        string split = _temp.Folder("data/bal_train");
        _temp.Folder("data/eval");
        Fixtures.WriteClips(Path.Combine(split, "a.tfrecord"), Fixtures.Clip("none", 10, 1));
        string line = CliRunner.AssertOneLineError(CliRunner.Run("train", "--data", Path.GetDirectoryName(split)!, "--out", _temp.File("out")));
        Assert.Contains("no clips selected", line);
    }

    [Fact]
    public void Evaluate_without_a_manifest_or_model_is_a_one_line_error()
    {
        Assert.Contains("model not found", CliRunner.AssertOneLineError(CliRunner.Run("evaluate", "--data", _temp.Path, "--model", _temp.File("model.zip"))));
        Assert.Contains("manifest not found", CliRunner.AssertOneLineError(CliRunner.Run("evaluate", "--data", _temp.Path, "--model", _temp.Path)));
        File.WriteAllText(_temp.File("model.zip"), "not a zip");
        Assert.Contains("manifest not found", CliRunner.AssertOneLineError(CliRunner.Run("evaluate", "--data", _temp.Path, "--model", _temp.File("model.zip"))));
    }
}
