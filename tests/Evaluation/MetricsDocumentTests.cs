using System.Text.Json;
using Custom.Evaluation;
using Custom.Tests.Support;

namespace Custom.Tests.Evaluation;

public sealed class MetricsDocumentTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static MetricsDocument Document() => new("eval", "LbfgsMaximumEntropy", "stats", SmallCase.Metrics());

    [Fact]
    public void Json_has_the_documented_fields_in_order()
    {
        using var doc = JsonDocument.Parse(Document().ToJson());
        var root = doc.RootElement;
        Assert.Equal(
            ["schema_version", "split", "clips", "trainer", "features", "classes", "accuracy", "macro_f1", "balanced_accuracy",
             "weighted_f1", "log_loss", "per_class", "confusion_matrix"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(1, root.GetProperty("schema_version").GetInt32());
        Assert.Equal("eval", root.GetProperty("split").GetString());
        Assert.Equal(8, root.GetProperty("clips").GetInt32());
        Assert.Equal("LbfgsMaximumEntropy", root.GetProperty("trainer").GetString());
        Assert.Equal("stats", root.GetProperty("features").GetString());

        var b = root.GetProperty("classes")[1];
        Assert.Equal(["index", "mid", "name"], b.EnumerateObject().Select(p => p.Name));
        Assert.Equal((5, "/m/b", "B"), (b.GetProperty("index").GetInt32(), b.GetProperty("mid").GetString(), b.GetProperty("name").GetString()));

        Assert.Equal(0.5, root.GetProperty("accuracy").GetDouble());
        Assert.Equal(5.0 / 12, root.GetProperty("balanced_accuracy").GetDouble(), 1e-12);

        var a = root.GetProperty("per_class")[0];
        Assert.Equal(["name", "index", "label", "precision", "recall", "f1", "support", "average_precision"], a.EnumerateObject().Select(p => p.Name));
        Assert.Equal("A", a.GetProperty("name").GetString());
        Assert.Equal(0.6, a.GetProperty("precision").GetDouble());
        Assert.Equal(4, a.GetProperty("support").GetInt32());
        var c = root.GetProperty("per_class")[2];
        Assert.Equal((9, 2, 0.0), (c.GetProperty("index").GetInt32(), c.GetProperty("label").GetInt32(), c.GetProperty("f1").GetDouble()));

        Assert.Contains("  \"confusion_matrix\": [\n    [3,1,0],\n    [1,1,0],\n    [1,1,0]\n  ]\n}\n", Document().ToJson()); // a row per line
        var matrix = root.GetProperty("confusion_matrix").EnumerateArray().Select(r => r.EnumerateArray().Select(x => x.GetInt32()).ToArray()).ToArray();
        Assert.Equal([[3, 1, 0], [1, 1, 0], [1, 1, 0]], matrix);
    }

    [Fact]
    public void Doubles_are_written_shortest_and_read_back_exactly()
    {
        var metrics = SmallCase.Metrics();
        string json = Document().ToJson();
        Assert.Contains("\"precision\": 0.6,", json);   // shortest round-trip, not 0.59999999999999998
        Assert.Contains("\"accuracy\": 0.5,", json);
        using var doc = JsonDocument.Parse(json);
        // Log-loss, the one figure from float probabilities, is stored to six decimals (see MulticlassMetrics.LogLossDecimals).
        Assert.Equal(Math.Round(metrics.LogLoss, 6), doc.RootElement.GetProperty("log_loss").GetDouble());
        Assert.NotEqual(metrics.LogLoss, doc.RootElement.GetProperty("log_loss").GetDouble());
        Assert.Equal(metrics.MacroF1, doc.RootElement.GetProperty("macro_f1").GetDouble());
        Assert.Equal(metrics.WeightedF1, doc.RootElement.GetProperty("weighted_f1").GetDouble());
    }

    [Fact]
    public void Equal_figures_give_byte_identical_files()
    {
        string first = _temp.File("first.json"), second = _temp.File("second.json");
        Document().Save(first);
        new MetricsDocument("eval", "LbfgsMaximumEntropy", "stats", SmallCase.Metrics()).Save(second);
        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));

        var other = new MetricsDocument("eval", "LbfgsMaximumEntropy", "stats",
            MulticlassMetrics.Compute(SmallCase.Classes, SmallCase.Truth, SmallCase.Probabilities.Select(p => p.Reverse().ToArray()).ToArray()));
        Assert.NotEqual(Document().ToJson(), other.ToJson());
    }

    [Fact]
    public void Markdown_shows_figures_per_class_rows_and_the_matrix()
    {
        string md = Document().ToMarkdown();
        Assert.Contains("| accuracy | 0.5000 |", md);
        Assert.Contains("| macro-F1 | 0.3556 |", md);        // 16/45
        Assert.Contains("| A | 0 | 0 | 0.6000 | 0.7500 | 0.6667 | 4 |", md);
        Assert.Contains("| true \\ predicted | A | B | C |", md);
        Assert.Contains("| C | 1 | 1 | 0 |", md);
    }
}
