using Custom.Tests.Support;

namespace Custom.Tests.Cli;

public sealed class TrainAttentionCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void The_attention_trainer_runs_on_flat_features_without_being_told_and_refuses_other_kinds()
    {
        string data = TinyData.Dataset(_temp);
        string package = Path.Combine(_temp.Path, "package");
        var (exit, output, error) = CliRunner.Run("train", "--data", data, "--out", package, "--trainers", "attention", "--folds", "2");
        Assert.True(exit == 0, error);
        Assert.Contains("chosen: attention/flat", output);
        Assert.True(File.Exists(Path.Combine(package, "model.onnx")), "model.onnx");
        Assert.True(File.Exists(Path.Combine(package, "model.zip")), "model.zip");

        string refused = Path.Combine(_temp.Path, "refused");
        string line = CliRunner.AssertOneLineError(CliRunner.Run("train", "--data", data, "--out", refused, "--trainers", "attention", "--features", "mean", "--folds", "2"));
        Assert.Equal("custom: error: the attention trainer takes flat features only, not mean: use --features flat or leave --features out", line);
        Assert.False(Directory.Exists(refused) && Directory.EnumerateFileSystemEntries(refused).Any(), "the refused run left files behind");

        // Asked of every trainer, a kind attention cannot take leaves attention out and the others run.
        string mean = Path.Combine(_temp.Path, "mean");
        var all = CliRunner.Run("train", "--data", data, "--out", mean, "--features", "mean", "--folds", "2", "--no-weighted");
        Assert.True(all.Exit == 0, all.Err);
        Assert.DoesNotContain("attention", all.Out);
    }
}
