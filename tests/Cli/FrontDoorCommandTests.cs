using Custom.Data.Selection;
using Custom.Tests.Support;
using Custom.Training;

namespace Custom.Tests.Cli;

/// train, evaluate and predict through the CLI on a fixture dataset made in code (no AudioSet needed).
public sealed class FrontDoorCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Train_then_evaluate_and_predict_accept_the_package_folder_or_its_model_zip()
    {
        string data = FixtureDataset.Write(_temp.Folder("audioset"), ClassSet.Default);
        string model = Path.Combine(_temp.Path, "model");
        var train = CliRunner.Run("train", "--data", data, "--out", model, "--trainers", "lbfgs-maxent", "--features", "mean", "--folds", "2", "--no-weighted");
        Assert.True(train.Exit == 0, train.Err);
        Assert.Contains("chosen: lbfgs-maxent/mean", train.Out);
        Assert.DoesNotContain("custom: error", train.Err);
        // Off the reference SIMD path (e.g. AVX2, unpinned) the run says its figures are the CPU's own.
        Assert.Equal(SimdPath.Note is not null, train.Err.Contains("custom: note: figures depend on the CPU's vector width", StringComparison.Ordinal));

        string again = _temp.File("again.json");
        var evaluate = CliRunner.Run("evaluate", "--data", data, "--model", Path.Combine(model, "model.zip"), "--out", again);
        Assert.True(evaluate.Exit == 0, evaluate.Err);
        Assert.Equal(File.ReadAllText(Path.Combine(model, "metrics.json")), File.ReadAllText(again));

        string input = Path.Combine(data, "eval", "03.tfrecord");
        var fromFolder = CliRunner.Run("predict", "--model", model, "--input", input);
        var fromZip = CliRunner.Run("predict", "--model", Path.Combine(model, "model.zip"), "--input", input);
        Assert.True(fromZip.Exit == 0, fromZip.Err);
        Assert.Equal(4, fromZip.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(fromFolder.Out, fromZip.Out);
        Assert.Contains("\"label\":\"Pigeon/dove\"", fromZip.Out, StringComparison.Ordinal); // fixture file 03 holds class 3
    }

    [Fact]
    public void Missing_data_says_how_to_get_it_in_one_line()
    {
        string line = CliRunner.AssertOneLineError(CliRunner.Run("train", "--data", _temp.Folder("empty"), "--out", _temp.File("model")));
        Assert.Contains("custom data fetch", line);
        Assert.Contains("CUSTOM_AUDIOSET", line);
    }
}
