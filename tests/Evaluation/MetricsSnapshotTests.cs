using Custom.Data;
using Custom.Evaluation;
using Custom.Tests.Support;

namespace Custom.Tests.Evaluation;

public sealed class MetricsSnapshotTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string Json() => new MetricsDocument("eval", "Trainer", "stats", SmallCase.Metrics()).ToJson();

    [Fact]
    public void Identical_files_have_no_differences()
    {
        string path = _temp.File("metrics.json");
        AtomicFile.WriteAllText(path, Json());
        Assert.Empty(MetricsSnapshot.Diff(MetricsSnapshot.Load(path), MetricsSnapshot.Parse(Json())));
    }

    [Fact]
    public void Strings_compare_by_value_however_they_were_escaped()
    {
        var escaped = MetricsSnapshot.Parse("""{"trainer":"sdca-maxent\u002Bweighted"}""");
        var plain = MetricsSnapshot.Parse("""{"trainer":"sdca-maxent+weighted"}""");
        Assert.Empty(MetricsSnapshot.Diff(escaped, plain));
        Assert.Equal(["trainer: \"sdca-maxent+weighted\" -> \"lbfgs-maxent\""], MetricsSnapshot.Diff(plain, MetricsSnapshot.Parse("""{"trainer":"lbfgs-maxent"}""")));
    }

    [Fact]
    public void A_changed_figure_is_reported_by_name_with_both_values()
    {
        var before = MetricsSnapshot.Parse(Json());
        var after = MetricsSnapshot.Parse(Json()
            .Replace("\"accuracy\": 0.5,", "\"accuracy\": 0.625,", StringComparison.Ordinal)
            .Replace("\"trainer\": \"Trainer\"", "\"trainer\": \"Other\"", StringComparison.Ordinal));
        Assert.Equal(["trainer: \"Trainer\" -> \"Other\"", "accuracy: 0.5 -> 0.625"], MetricsSnapshot.Diff(before, after));
    }

    [Fact]
    public void Per_class_and_matrix_figures_are_named_by_class()
    {
        var before = MetricsSnapshot.Parse(Json());
        Assert.Equal("0.6", before.Find("per_class[A].precision")!.Json);
        Assert.Equal(1, before.Find("confusion_matrix[C][B]")!.Number);

        var after = MetricsSnapshot.Parse(Json().Replace("[1,1,0]\n  ]", "[0,2,0]\n  ]", StringComparison.Ordinal));
        Assert.Equal(["confusion_matrix[C][A]: 1 -> 0", "confusion_matrix[C][B]: 1 -> 2"], MetricsSnapshot.Diff(before, after));
    }

    [Fact]
    public void Tolerance_hides_small_changes_only()
    {
        var before = MetricsSnapshot.Parse("{\"macro_f1\": 0.6123, \"log_loss\": 1.5}");
        var after = MetricsSnapshot.Parse("{\"macro_f1\": 0.61230004, \"log_loss\": 1.6}");
        Assert.Equal(["macro_f1: 0.6123 -> 0.61230004", "log_loss: 1.5 -> 1.6"], MetricsSnapshot.Diff(before, after));
        Assert.Equal(["log_loss: 1.5 -> 1.6"], MetricsSnapshot.Diff(before, after, tolerance: 1e-6));
    }

    [Fact]
    public void Missing_and_added_figures_are_reported()
    {
        var before = MetricsSnapshot.Parse("{\"accuracy\": 0.5, \"old\": 1}");
        var after = MetricsSnapshot.Parse("{\"accuracy\": 0.5, \"new\": [2]}");
        Assert.Equal(["old: 1 -> (missing)", "new[0]: (missing) -> 2"], MetricsSnapshot.Diff(before, after));
    }

    [Fact]
    public void Bad_json_names_the_file()
    {
        string path = _temp.File("broken.json");
        File.WriteAllText(path, "{\"accuracy\": ");
        var error = Assert.Throws<InvalidInputException>(() => MetricsSnapshot.Load(path));
        Assert.StartsWith($"{path}: not valid JSON", error.Message);
    }
}
