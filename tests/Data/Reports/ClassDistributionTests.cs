using System.Text.Json;
using Custom.Data.Ingest;
using Custom.Data.Reports;
using Custom.Data.Selection;
using Custom.Tests.Support;

namespace Custom.Tests.Data.Reports;

public sealed class ClassDistributionTests
{
    private static ClassDistribution Small()
    {
        var stats = new SelectionStats(ClassSet.Default);
        stats.Add(new SelectionResult(SelectionOutcome.Selected, 0), 10, 100);
        stats.Add(new SelectionResult(SelectionOutcome.Selected, 2), 3, 100);
        stats.Add(new SelectionResult(SelectionOutcome.Multi, -1), 10, 100);
        stats.Add(new SelectionResult(SelectionOutcome.None, -1), 12, 100);
        return new ClassDistribution(ClassSet.Default, SelectionPolicy.ExactlyOne, [new("bal_train", stats)]);
    }

    [Fact]
    public void Json_has_the_documented_shape()
    {
        using var doc = JsonDocument.Parse(Small().ToJson());
        var root = doc.RootElement;
        Assert.Equal(1, root.GetProperty("schema_version").GetInt32());
        var speech = root.GetProperty("classes")[0];
        Assert.Equal(0, speech.GetProperty("index").GetInt32());
        Assert.Equal("/m/09x0r", speech.GetProperty("mid").GetString());
        Assert.Equal("Speech", speech.GetProperty("name").GetString());
        var split = root.GetProperty("splits").GetProperty("bal_train");
        Assert.Equal(4, split.GetProperty("clips_total").GetInt64());
        Assert.Equal(2, split.GetProperty("clips_selected").GetInt64());
        Assert.Equal(1, split.GetProperty("clips_multi").GetInt64());
        Assert.Equal(1, split.GetProperty("clips_none").GetInt64());
        Assert.Equal(0, split.GetProperty("records_skipped").GetInt64());
        Assert.Equal(1, split.GetProperty("per_class").GetProperty("Dog").GetInt64());
        Assert.Equal(0, split.GetProperty("per_class").GetProperty("Jackhammer").GetInt64());
        Assert.Equal(3, split.GetProperty("frame_counts_all").GetProperty("10").GetInt64()); // 10, 10 and 12 frames
        Assert.Equal(1, split.GetProperty("frame_counts_selected").GetProperty("3").GetInt64());
    }

    [Trait("Category", "Dataset")]
    [Fact]
    public void Json_for_the_real_data_is_byte_identical_across_runs_and_thread_counts()
    {
        var folder = AudioSetData.Folder;
        string Run(int threads) => new ClassDistribution(ClassSet.Default, SelectionPolicy.ExactlyOne,
            folder.Splits.Select(s => new KeyValuePair<string, SelectionStats>(s, AudioSetIngest.Scan(folder.FilesOf(s), ClipSelector.Default, new IngestOptions { Threads = threads }))).ToList()).ToJson();
        Assert.Equal(Run(1), Run(2));
    }

    [Fact]
    public void Markdown_lists_every_class_and_the_drop_reasons()
    {
        string md = Small().ToMarkdown();
        foreach (var c in ClassSet.Default)
        {
            Assert.Contains($"| {c.Name} | {c.Index} |", md);
        }

        Assert.Contains("| Speech | 0 | 1 | 50.0 |", md);
        Assert.Contains("| dropped: several selected labels | 1 |", md);
        Assert.Contains("| selected with fewer than 10 frames | 1 |", md);
    }
}
