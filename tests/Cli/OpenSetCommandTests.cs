using System.Text.Json;
using Custom.Inference;
using Custom.Tests.Support;

namespace Custom.Tests.Cli;

/// `custom train --open-set` on a small synthetic data folder, and `evaluate` and `predict` on its package.
public sealed class OpenSetCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Dataset()
    {
        string root = _temp.Folder("audioset");
        var (known, none) = OpenSetData.Training(200, 150, 4);
        var random = new Random(4);
        var multi = Enumerable.Range(0, 10).Select(i => OpenSetData.Multi($"tm{i}", i % 5, 5 + i % 5, 10, random));
        Directory.CreateDirectory(Path.Combine(root, "bal_train"));
        Directory.CreateDirectory(Path.Combine(root, "eval"));
        Fixtures.WriteClips(Path.Combine(root, "bal_train", "a.tfrecord"), [.. known.Select(c => c.Clip), .. multi]);
        Fixtures.WriteClips(Path.Combine(root, "bal_train", "b.tfrecord"), [.. none]);
        Fixtures.WriteClips(Path.Combine(root, "eval", "e.tfrecord"), [.. OpenSetData.Eval(9).Select(c => c.Clip)]);
        return root;
    }

    [Fact]
    public void Train_open_set_writes_an_open_set_package_whose_figures_evaluate_reproduces_byte_for_byte()
    {
        string data = Dataset();
        string model = Path.Combine(_temp.Path, "model");
        var train = CliRunner.Run("train", "--data", data, "--out", model, "--open-set", "--trainers", "lbfgs-maxent", "--features", "mean", "--folds", "2");
        Assert.True(train.Exit == 0, train.Err);
        Assert.Contains("open set: 150 training clips of none of the classes learned as \"other\"", train.Out);
        Assert.Contains("eval, all 75 clips: 11-class macro-F1", train.Out);
        Assert.Contains("kept within 0.015 of the closed model's", train.Out);

        using (var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(model, "manifest.json"))))
        {
            Assert.True(manifest.RootElement.GetProperty("open_set").GetBoolean());
            Assert.Equal("other", manifest.RootElement.GetProperty("classes")[10].GetProperty("name").GetString());
            Assert.Equal("lbfgs-maxent/mean", manifest.RootElement.GetProperty("closed_reference").GetProperty("candidate").GetString());
            Assert.Equal(0.015, manifest.RootElement.GetProperty("open_set_max_drop").GetDouble());
        }

        string metricsJson = File.ReadAllText(Path.Combine(model, "metrics.json"));
        using (var metrics = JsonDocument.Parse(metricsJson))
        {
            var root = metrics.RootElement;
            Assert.Equal(75, root.GetProperty("clips").GetInt32());
            Assert.Equal(11, root.GetProperty("per_class").GetArrayLength());
            var open = root.GetProperty("open_set");
            Assert.Equal((30, 5, 40), (open.GetProperty("none_clips").GetInt32(), open.GetProperty("multi_clips").GetInt32(), open.GetProperty("selected_clips").GetInt32()));
            Assert.Equal(1.0, open.GetProperty("closed_model").GetProperty("none_given_known_share").GetDouble());
        }

        Assert.Contains("## Open set: 10 classes or \"other\" on every eval clip", File.ReadAllText(Path.Combine(model, "metrics.md")));
        Assert.Contains("Open set, on all 75 eval clips", File.ReadAllText(Path.Combine(model, "report.md")));

        // model.zip (ML.NET, as training scored) gives the very file; the package (ONNX Runtime) the same figures, its
        // log-loss within the last digit on these 75 clips (ONNX and ML.NET round probabilities differently in the last bits).
        string viaZip = _temp.File("via-zip.json");
        var evaluate = CliRunner.Run("evaluate", "--data", data, "--model", Path.Combine(model, "model.zip"), "--out", viaZip);
        Assert.True(evaluate.Exit == 0, evaluate.Err);
        Assert.Equal(metricsJson, File.ReadAllText(viaZip));
        string viaOnnx = _temp.File("via-onnx.json");
        evaluate = CliRunner.Run("evaluate", "--data", data, "--model", model, "--out", viaOnnx);
        Assert.True(evaluate.Exit == 0, evaluate.Err);
        var differences = Custom.Evaluation.MetricsSnapshot.Diff(Custom.Evaluation.MetricsSnapshot.Parse(metricsJson), Custom.Evaluation.MetricsSnapshot.Load(viaOnnx));
        Assert.All(differences, d => Assert.StartsWith("log_loss", d));
        Assert.Empty(Custom.Evaluation.MetricsSnapshot.Diff(Custom.Evaluation.MetricsSnapshot.Parse(metricsJson), Custom.Evaluation.MetricsSnapshot.Load(viaOnnx), tolerance: 2e-6));

        var predict = CliRunner.Run("predict", "--model", model, "--input", Path.Combine(data, "eval"));
        Assert.True(predict.Exit == 0, predict.Err);
        var lines = predict.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(75, lines.Count);
        Assert.All(lines, l => Assert.Equal(l.GetProperty("label").GetString() == PackageContract.OtherClass, l.GetProperty("other").GetBoolean()));
        // The eval file holds 40 known clips, then 30 none-clips: most of the latter are answered "other".
        Assert.True(lines.Skip(40).Take(30).Count(l => l.GetProperty("other").GetBoolean()) >= 25);
        Assert.True(lines.Take(40).Count(l => !l.GetProperty("other").GetBoolean()) >= 35);
    }

    [Fact]
    public void A_wider_allowed_drop_gives_fewer_none_clips_a_class_and_the_manifest_records_it()
    {
        // Half the none-clips look like Speech's own clips: turning them away costs Speech's answers, which only a
        // wider drop allows.
        string data = _temp.Folder("hard");
        var (known, none) = OpenSetData.Training(200, 75, 5);
        var random = new Random(5);
        var speechLike = Enumerable.Range(0, 75).Select(i => OpenSetData.NoneLike($"s{i}", 0, 1 + random.Next(10), random));
        Directory.CreateDirectory(Path.Combine(data, "bal_train"));
        Directory.CreateDirectory(Path.Combine(data, "eval"));
        Fixtures.WriteClips(Path.Combine(data, "bal_train", "a.tfrecord"), [.. known.Select(c => c.Clip), .. none, .. speechLike]);
        Fixtures.WriteClips(Path.Combine(data, "eval", "e.tfrecord"), [.. OpenSetData.Eval(9).Select(c => c.Clip),
            .. Enumerable.Range(0, 30).Select(i => OpenSetData.NoneLike($"es{i}", 0, 1 + random.Next(10), random))]);
        (double NoneGiven, double Accuracy, double Drop) Train(string name, params string[] drop)
        {
            string model = Path.Combine(_temp.Path, name);
            var run = CliRunner.Run(["train", "--data", data, "--out", model, "--open-set", "--trainers", "lbfgs-maxent", "--features", "mean", "--folds", "2", .. drop]);
            Assert.True(run.Exit == 0, run.Err);
            using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(model, "metrics.json")));
            using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(model, "manifest.json")));
            var open = metrics.RootElement.GetProperty("open_set");
            return (open.GetProperty("none_given_known_share").GetDouble(), open.GetProperty("selected_accuracy").GetDouble(),
                manifest.RootElement.GetProperty("open_set_max_drop").GetDouble());
        }

        var tight = Train("tight", "--open-set-drop", "0");
        var wide = Train("wide", "--open-set-drop", "0.3");
        Assert.Equal((0.0, 0.3), (tight.Drop, wide.Drop));
        Assert.True(wide.NoneGiven < tight.NoneGiven, $"none-clips given a class: {wide.NoneGiven} with 0.3 against {tight.NoneGiven} with 0");
        Assert.True(wide.Accuracy <= tight.Accuracy, $"selected accuracy: {wide.Accuracy} with 0.3 against {tight.Accuracy} with 0");
    }

    [Fact]
    public void The_allowed_drop_goes_with_open_set_and_lies_from_0_up_to_1()
    {
        string data = TinyData.Dataset(_temp);
        string output = Path.Combine(_temp.Path, "m");
        Assert.Contains("--open-set-drop goes with --open-set", CliRunner.AssertOneLineError(CliRunner.Run("train", "--data", data, "--out", output, "--open-set-drop", "0.1")));
        Assert.Contains("must be at least 0 and below 1, not 1.5", CliRunner.AssertOneLineError(
            CliRunner.Run("train", "--data", data, "--out", output, "--open-set", "--open-set-drop", "1.5", "--trainers", "lbfgs-maxent", "--folds", "2")));
        Assert.Contains("'--open-set-drop' as a number", CliRunner.AssertOneLineError(CliRunner.Run("train", "--data", data, "--out", output, "--open-set", "--open-set-drop", "a lot")));
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void A_closed_package_predicts_without_the_other_field()
    {
        string data = TinyData.Dataset(_temp);
        string package = TinyData.Package(_temp.Folder("closed"));
        var predict = CliRunner.Run("predict", "--model", package, "--input", Path.Combine(data, "eval"));
        Assert.True(predict.Exit == 0, predict.Err);
        Assert.DoesNotContain("\"other\"", predict.Out);
    }

    [Fact]
    public void Open_set_without_none_clips_is_a_one_line_error()
    {
        string data = TinyData.Dataset(_temp);
        string line = CliRunner.AssertOneLineError(CliRunner.Run("train", "--data", data, "--out", Path.Combine(_temp.Path, "m"), "--open-set", "--trainers", "lbfgs-maxent", "--folds", "2"));
        Assert.Contains("open set: 0 training clips carry none of the classes, fewer than the 2 folds", line);
    }
}
