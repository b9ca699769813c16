using System.Globalization;
using System.Text;
using System.Text.Json;
using Custom.Data;
using static System.FormattableString;

namespace Custom.Evaluation;

/// <summary>
/// One model's figures on one split, as <c>metrics.json</c> (stable field order, shortest round-trip doubles, no
/// timestamps or timings, so equal figures give byte-identical files) and as Markdown.
/// </summary>
public sealed class MetricsDocument
{
    /// <summary>Version of the JSON shape; bumped only when a field is renamed or removed.</summary>
    public const int SchemaVersion = 1;

    /// <summary>The usual file name.</summary>
    public const string FileName = "metrics.json";

    /// <summary>Creates a document for <paramref name="metrics"/> of a model (trainer and feature names) on a split.</summary>
    public MetricsDocument(string split, string trainer, string features, MulticlassMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        Split = split;
        Trainer = trainer;
        Features = features;
        Metrics = metrics;
    }

    /// <summary>The split evaluated, e.g. <c>eval</c>.</summary>
    public string Split { get; }

    /// <summary>The trainer's name.</summary>
    public string Trainer { get; }

    /// <summary>The feature set's name.</summary>
    public string Features { get; }

    /// <summary>The figures.</summary>
    public MulticlassMetrics Metrics { get; }

    /// <summary>For an open-set model, its open-set figures (then <see cref="Metrics"/> are its figures on every clip,
    /// "other" included); null for a closed model, whose document has no such part.</summary>
    public OpenSetSection? OpenSet { get; init; }

    /// <summary>The JSON document, ending with a newline.</summary>
    public string ToJson() => Text.Json(json =>
    {
        var m = Metrics;
        json.WriteStartObject();
        json.WriteNumber("schema_version", SchemaVersion);
        json.WriteString("split", Split);
        json.WriteNumber("clips", m.Count);
        json.WriteString("trainer", Trainer);
        json.WriteString("features", Features);
        m.Classes.WriteJson(json);
        json.WriteNumber("accuracy", m.Accuracy);
        json.WriteNumber("macro_f1", m.MacroF1);
        json.WriteNumber("balanced_accuracy", m.BalancedAccuracy);
        json.WriteNumber("weighted_f1", m.WeightedF1);
        json.WriteNumber("log_loss", m.ReportedLogLoss);
        json.WriteStartArray("per_class");
        foreach (var c in m.PerClass)
        {
            json.WriteStartObject();
            json.WriteString("name", c.Name);
            json.WriteNumber("index", c.Index);
            json.WriteNumber("label", c.Label);
            json.WriteNumber("precision", c.Precision);
            json.WriteNumber("recall", c.Recall);
            json.WriteNumber("f1", c.F1);
            json.WriteNumber("support", c.Support);
            json.WriteNumber("average_precision", c.ReportedAveragePrecision);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("confusion_matrix");
        foreach (var row in m.ConfusionMatrix)
        {
            Text.WriteCompactRow(json, row);
        }

        json.WriteEndArray();
        OpenSet?.WriteJson(json);
        json.WriteEndObject();
    });

    /// <summary>Writes <see cref="ToJson"/> to <paramref name="path"/> atomically.</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, ToJson());

    /// <summary>The same figures as Markdown for people.</summary>
    public string ToMarkdown()
    {
        var m = Metrics;
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# {Text.Cell(Trainer)} / {Text.Cell(Features)} on {Text.Cell(Split)}").AppendLine();
        md.AppendLine(Invariant($"{Text.Count(m.Count)} clips, {m.Classes.Count} classes.")).AppendLine();
        md.AppendLine("| figure | value |").AppendLine("|---|---:|");
        md.AppendLine(CultureInfo.InvariantCulture, $"| accuracy | {Text.Figure(m.Accuracy)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| macro-F1 | {Text.Figure(m.MacroF1)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| balanced accuracy | {Text.Figure(m.BalancedAccuracy)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| weighted F1 | {Text.Figure(m.WeightedF1)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| log-loss | {Text.Figure(m.ReportedLogLoss)} |").AppendLine();

        md.AppendLine("| class | AudioSet index | label | precision | recall | F1 | support | average precision |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var c in m.PerClass)
        {
            md.AppendLine(Invariant($"| {Text.Cell(c.Name)} | {c.Index} | {c.Label} | {Text.Figure(c.Precision)} | {Text.Figure(c.Recall)} | {Text.Figure(c.F1)} | {Text.Count(c.Support)} | {Text.Figure(c.ReportedAveragePrecision)} |"));
        }

        md.AppendLine().AppendLine("Confusion matrix: rows are the true class, columns the predicted class.").AppendLine();
        md.Append("| true \\ predicted |").AppendJoin("", m.Classes.Select(c => $" {Text.Cell(c.Name)} |")).AppendLine();
        md.Append("|---|").Append(string.Concat(Enumerable.Repeat("---:|", m.Classes.Count))).AppendLine();
        for (int label = 0; label < m.Classes.Count; label++)
        {
            md.Append(CultureInfo.InvariantCulture, $"| {Text.Cell(m.Classes[label].Name)} |").AppendJoin("", m.ConfusionMatrix[label].Select(n => $" {Text.Count(n)} |")).AppendLine();
        }

        OpenSet?.WriteMarkdown(md, Split);
        return md.ToString();
    }
}
