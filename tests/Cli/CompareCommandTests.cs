using Custom.Tests.Support;

namespace Custom.Tests.Cli;

/// What the Cake `Reproduce` target does — train, report, compare with reference copies — on a reduced catalog.
public sealed class CompareCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Run(string name, int folds)
    {
        string outDir = Path.Combine(_temp.Path, name);
        var train = CliRunner.Run("train", "--data", AudioSetData.Root, "--out", outDir, "--trainers", "sdca-maxent", "lbfgs-maxent", "--features", "mean", "--no-weighted", "--folds", folds.ToString());
        Assert.True(train.Exit == 0, train.Err);
        Assert.Equal(0, CliRunner.Run("report", "--data", AudioSetData.Root, "--out", outDir).Exit);
        return outDir;
    }

    [Trait("Category", "Dataset")]
    [Fact]
    public void A_rerun_reproduces_every_figure_and_a_changed_hyper_parameter_is_named_in_the_diff()
    {
        string reference = Run("reference", folds: 3);
        var same = CliRunner.Run("compare", "--expected", reference, "--actual", Run("again", folds: 3));
        Assert.True(same.Exit == 0, same.Err);
        Assert.StartsWith("reproduced:", same.Out);

        // One hyper-parameter changed (cross-validation folds 3 → 4): the comparison fails and names the figures.
        var changed = CliRunner.Run("compare", "--expected", reference, "--actual", Run("changed", folds: 4));
        Assert.Equal(1, changed.Exit);
        Assert.Contains("differ from", changed.Err);
        Assert.Contains("leaderboard.json: entries[lbfgs-maxent/mean].cv_folds: 3 -> 4", changed.Err);
        Assert.Contains("leaderboard.json: entries[sdca-maxent/mean].cv_macro_f1_mean: 0.5749", changed.Err);
        Assert.Contains("manifest.json: folds: 3 -> 4", changed.Err);
        Assert.DoesNotContain("created_utc", changed.Err);
    }

    [Fact]
    public void A_reference_folder_without_score_files_is_a_one_line_error()
    {
        string line = CliRunner.AssertOneLineError(CliRunner.Run("compare", "--expected", _temp.Path, "--actual", _temp.Path));
        Assert.Contains("no reference files", line);
    }
}
