using System.Text.Json;
using Custom.Tests.Support;

namespace Custom.Tests.Cli;

public sealed class ReportCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Trait("Category", "Dataset")]
    [Fact]
    public void Report_on_the_real_data_prints_a_table_and_writes_json_and_markdown()
    {
        string outDir = _temp.Folder("out");
        var (exit, output, error) = CliRunner.Run("report", "--data", AudioSetData.Root, "--out", outDir);
        Assert.Equal(0, exit);
        Assert.Equal("", error);
        Assert.Contains("Pigeon/dove", output);
        Assert.Contains("5,303", output);

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "class-distribution.json")));
        var splits = json.RootElement.GetProperty("splits");
        Assert.Equal(22_160, splits.GetProperty("bal_train").GetProperty("clips_total").GetInt32());
        Assert.Equal(6_089, splits.GetProperty("eval").GetProperty("clips_selected").GetInt32());
        Assert.Equal(439, splits.GetProperty("bal_train").GetProperty("clips_multi").GetInt32());
        Assert.Contains("| Speech | 0 | 5,303 | 79.4 | 4,872 | 80.0 |", File.ReadAllText(Path.Combine(outDir, "class-distribution.md")));
    }

    [Trait("Category", "Dataset")]
    [Fact]
    public void Report_with_custom_classes_and_policy_counts_those_classes()
    {
        string outDir = _temp.Folder("out");
        var (exit, _, _) = CliRunner.Run("report", "--data", AudioSetData.Root, "--out", outDir, "--classes", "Dog", "Siren", "--policy", "first-listed");
        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "class-distribution.json")));
        var perClass = json.RootElement.GetProperty("splits").GetProperty("bal_train").GetProperty("per_class");
        Assert.Equal(["Dog", "Siren"], perClass.EnumerateObject().Select(p => p.Name));
        Assert.Equal("first-listed", json.RootElement.GetProperty("policy").GetString());
        Assert.True(perClass.GetProperty("Dog").GetInt32() >= 180); // first-listed keeps multi-label Dog clips too
    }

    [Fact]
    public void Missing_folder_is_a_one_line_error()
    {
        string missing = _temp.File("nowhere");
        string line = CliRunner.AssertOneLineError(CliRunner.Run("report", "--data", missing));
        Assert.Contains(missing, line);
        Assert.Contains("folder not found", line);
    }

    [Fact]
    public void Empty_folder_is_a_one_line_error()
    {
        string line = CliRunner.AssertOneLineError(CliRunner.Run("report", "--data", _temp.Path));
        Assert.Contains("no split folders found", line);
    }

    [Fact]
    public void A_file_instead_of_a_folder_is_a_one_line_error()
    {
        string file = _temp.File("labels.csv");
        File.WriteAllText(file, "index,mid,display_name\n");
        string line = CliRunner.AssertOneLineError(CliRunner.Run("report", "--data", file));
        Assert.Contains("is a file, not an AudioSet folder", line);
    }

    [Fact]
    public void A_non_tfrecord_file_in_a_split_is_a_one_line_error_naming_file_and_offset()
    {
        string split = _temp.Folder("data/bal_train");
        string bogus = Path.Combine(split, "notes.tfrecord");
        File.WriteAllText(bogus, "these are just some notes, not a TFRecord");
        string outDir = _temp.Folder("out");
        string line = CliRunner.AssertOneLineError(CliRunner.Run("report", "--data", Path.GetDirectoryName(split)!, "--out", outDir));
        Assert.Contains(bogus, line);
        Assert.Contains("record 0 at byte offset 0", line);
        Assert.Empty(Directory.GetFiles(outDir)); // nothing half-written
    }

    [Fact]
    public void Skip_policy_reports_skipped_records_with_a_warning()
    {
        string split = _temp.Folder("data/eval");
        Fixtures.WriteClips(Path.Combine(split, "a.tfrecord"), Fixtures.Clip("dog", 10, 74));
        File.WriteAllText(Path.Combine(split, "b.tfrecord"), "not a record");
        string outDir = _temp.Folder("out");
        var (exit, _, error) = CliRunner.Run("report", "--data", Path.GetDirectoryName(split)!, "--out", outDir, "--on-corrupt", "skip");
        Assert.Equal(0, exit);
        Assert.Contains("warning: eval: skipped 1 corrupt records", error);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "class-distribution.json")));
        var eval = json.RootElement.GetProperty("splits").GetProperty("eval");
        Assert.Equal(1, eval.GetProperty("records_skipped").GetInt32());
        Assert.Equal(1, eval.GetProperty("per_class").GetProperty("Dog").GetInt32());
    }

    [Trait("Category", "Dataset")]
    [Fact]
    public void Unknown_class_and_bad_option_values_are_clear_errors()
    {
        string line = CliRunner.AssertOneLineError(CliRunner.Run("report", "--data", AudioSetData.Root, "--classes", "Dgo"));
        Assert.Contains("unknown class 'Dgo'", line);

        var (exit, _, error) = CliRunner.Run("report", "--policy", "most");
        Assert.NotEqual(0, exit);
        Assert.Contains("most", error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public void Help_describes_every_command()
    {
        var (exit, output, _) = CliRunner.Run("--help");
        Assert.Equal(0, exit);
        foreach (string command in new[] { "report", "filter", "bench" })
        {
            Assert.Contains(command, output);
        }

        var (_, reportHelp, _) = CliRunner.Run("report", "--help");
        Assert.Contains("--on-corrupt", reportHelp);
        Assert.Contains("CUSTOM_AUDIOSET", reportHelp);
    }
}
