using Custom.Data;
using Custom.Inference;
using Custom.Tests.Support;

namespace Custom.Tests.Cli;

/// `--out` never deletes or overwrites what the program did not write, and every command's output set appears in one step.
public sealed class OutputSafetyCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly string _data;

    public OutputSafetyCommandTests() => _data = TinyData.Dataset(_temp);

    public void Dispose() => _temp.Dispose();

    private (int Exit, string Out, string Err) Train(string outDir, params string[] more) =>
        CliRunner.Run(["train", "--data", _data, "--out", outDir, "--trainers", "lbfgs-maxent", "--features", "mean", "--folds", "2", "--no-weighted", "-j", "1", .. more]);

    private static Dictionary<string, string> Snapshot(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(f => f, f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))));

    private static string[] Names(string folder) =>
        Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    [Fact]
    public void Train_out_dot_is_refused_and_nothing_changes()
    {
        string here = Directory.GetCurrentDirectory();
        var before = Names(here);
        string line = CliRunner.AssertOneLineError(Train("."));
        Assert.Contains("--out .: is or holds the current folder", line);
        Assert.Equal(before, Names(here));
    }

    [Fact]
    public void Train_out_equal_to_the_data_folder_or_a_split_is_refused_and_the_data_is_intact()
    {
        var before = Snapshot(_data);
        Assert.Contains("is or holds the input", CliRunner.AssertOneLineError(Train(_data, "--force")));
        Assert.Contains("is or holds the input", CliRunner.AssertOneLineError(Train(Path.Combine(_data, "bal_train"), "--force")));
        Assert.Contains("is or holds the input", CliRunner.AssertOneLineError(CliRunner.Run("report", "--data", _data, "--out", _data, "--force")));
        Assert.Equal(before, Snapshot(_data));
    }

    [Fact]
    public void A_folder_of_user_files_is_refused_unless_forced_and_the_package_replaces_it_whole()
    {
        string outDir = _temp.Folder("thesis");
        File.WriteAllText(Path.Combine(outDir, "chapter1.tex"), "years of work");
        string line = CliRunner.AssertOneLineError(Train(outDir));
        Assert.Contains("holds files this program did not write (such as 'chapter1.tex')", line);
        Assert.Equal("years of work", File.ReadAllText(Path.Combine(outDir, "chapter1.tex")));

        var forced = Train(outDir, "--force");
        Assert.True(forced.Exit == 0, forced.Err);
        Assert.False(File.Exists(Path.Combine(outDir, "chapter1.tex")));
        Assert.True(File.Exists(Path.Combine(outDir, AtomicDirectory.MarkerFile)));
        using (SoundClassifier.Load(outDir))
        {
        }

        // Now the program's own folder: replaced again without --force, nothing left beside it.
        var again = Train(outDir);
        Assert.True(again.Exit == 0, again.Err);
        Assert.DoesNotContain(Names(_temp.Path), n => n.EndsWith(".staging", StringComparison.Ordinal) || n.EndsWith(".previous", StringComparison.Ordinal));
    }

    [Fact]
    public void Filter_out_at_an_input_file_or_inside_a_split_is_refused()
    {
        string input = Path.Combine(_data, "bal_train", "a.tfrecord");
        var before = File.ReadAllBytes(input);
        Assert.Contains("is or holds the input", CliRunner.AssertOneLineError(CliRunner.Run("filter", "--data", _data, "--out", input)));
        Assert.Contains("inside the input folder", CliRunner.AssertOneLineError(CliRunner.Run("filter", "--data", _data, "--out", Path.Combine(_data, "bal_train", "new.tfrecord"))));
        Assert.Equal(before, File.ReadAllBytes(input));
        Assert.Equal(["a.tfrecord", "b.tfrecord"], Names(Path.Combine(_data, "bal_train")));
    }

    [Fact]
    public void Report_writes_its_whole_set_into_its_own_folder_in_one_step()
    {
        string outDir = _temp.File("distribution");
        var first = CliRunner.Run("report", "--data", _data, "--out", outDir);
        Assert.True(first.Exit == 0, first.Err);
        string[] set = [AtomicDirectory.MarkerFile, "class-distribution.html", "class-distribution.json", "class-distribution.md", "plotly.min.js"];
        Assert.Equal(set, Names(outDir));

        // A second run replaces the set as a whole; a failing run (a damaged split) leaves the old set as it was.
        var json = File.ReadAllText(Path.Combine(outDir, "class-distribution.json"));
        File.WriteAllBytes(Path.Combine(_data, "eval", "z.tfrecord"), [1, 2, 3]);
        CliRunner.AssertOneLineError(CliRunner.Run("report", "--data", _data, "--out", outDir));
        Assert.Equal(set, Names(outDir));
        Assert.Equal(json, File.ReadAllText(Path.Combine(outDir, "class-distribution.json")));
        Assert.Equal([".distribution.lock", "audioset", "distribution"], Names(_temp.Path));

        string foreign = _temp.Folder("notes");
        File.WriteAllText(Path.Combine(foreign, "todo.txt"), "x");
        Assert.Contains("did not write", CliRunner.AssertOneLineError(CliRunner.Run("report", "--data", _data, "--out", foreign)));
        Assert.Equal(["todo.txt"], Names(foreign));
    }

    [Fact]
    public void Evaluate_out_at_a_package_file_is_refused()
    {
        string package = TinyData.Package(_temp.File("package"));
        string manifest = Path.Combine(package, PackageContract.ManifestFile);
        var before = File.ReadAllText(manifest);
        Assert.Contains("is or holds the input", CliRunner.AssertOneLineError(CliRunner.Run("evaluate", "--data", _data, "--model", package, "--out", manifest)));
        Assert.Equal(before, File.ReadAllText(manifest));
        var ok = CliRunner.Run("evaluate", "--data", _data, "--model", package, "--out", Path.Combine(package, "metrics.evaluate.json"));
        Assert.True(ok.Exit == 0, ok.Err);
    }
}
