using System.Text.Json;
using Custom.Data.Ingest;
using Custom.Data.Selection;
using Custom.Tests.Support;

namespace Custom.Tests.Cli;

public sealed class FilterAndBenchCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string SmallData()
    {
        string split = _temp.Folder("data/bal_train");
        Fixtures.WriteClips(Path.Combine(split, "a.tfrecord"), Fixtures.Clip("dog", 10, 74), Fixtures.Clip("both", 10, 0, 74), Fixtures.Clip("none", 5, 1));
        Fixtures.WriteClips(Path.Combine(split, "b.tfrecord"), Fixtures.Clip("siren", 3, 396, 1));
        return Path.GetDirectoryName(split)!;
    }

    [Fact]
    public void Filter_writes_only_the_selected_clips()
    {
        string output = _temp.File("selected.tfrecord");
        var (exit, stdout, _) = CliRunner.Run("filter", "--data", SmallData(), "--split", "bal_train", "--out", output);
        Assert.Equal(0, exit);
        Assert.Contains("wrote 2 of 4 clips", stdout);
        Assert.Equal(["dog", "siren"], AudioSetIngest.ReadClips([output]).Select(c => c.VideoId));
    }

    [Fact]
    public void Filter_on_a_missing_split_is_a_one_line_error()
    {
        string line = CliRunner.AssertOneLineError(CliRunner.Run("filter", "--data", SmallData(), "--split", "eval", "--out", _temp.File("x.tfrecord")));
        Assert.Contains("no split 'eval'", line);
        Assert.False(File.Exists(_temp.File("x.tfrecord")));
    }

    [Fact]
    public void Bench_ingest_prints_one_json_line_with_every_figure()
    {
        var (exit, stdout, _) = CliRunner.Run("bench", "ingest", "--data", SmallData(), "--threads", "1", "--repeat", "1");
        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(Assert.Single(stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        var root = json.RootElement;
        Assert.Equal(4, root.GetProperty("records").GetInt64());
        Assert.Equal(new FileInfo(Path.Combine(SmallData(), "bal_train", "a.tfrecord")).Length + new FileInfo(Path.Combine(SmallData(), "bal_train", "b.tfrecord")).Length, root.GetProperty("bytes").GetInt64());
        foreach (string name in new[] { "seconds", "records_per_s", "mb_per_s", "read_only_mb_per_s", "mb_per_s_memory", "peak_rss_mb" })
        {
            Assert.True(root.GetProperty(name).GetDouble() > 0, name);
        }

        Assert.Equal(1, root.GetProperty("threads").GetInt32());
    }

    [Fact]
    public void Bench_on_a_scaled_copy_reads_that_many_times_the_records_and_cleans_up()
    {
        int before = Directory.GetDirectories(Path.GetTempPath(), "custom-bench-*").Length;
        var (exit, stdout, _) = CliRunner.Run("bench", "ingest", "--data", SmallData(), "--threads", "1", "--repeat", "1", "--scale", "3");
        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(12, json.RootElement.GetProperty("records").GetInt64());
        Assert.Equal(3, json.RootElement.GetProperty("scale").GetInt32());
        Assert.Equal(before, Directory.GetDirectories(Path.GetTempPath(), "custom-bench-*").Length);
    }
}
