using System.Globalization;
using System.Text;
using System.Text.Json;
using Custom.Data.Selection;

namespace Custom.Data.Reports;

/// <summary>
/// Per-split selection counts for a class set: what <c>custom report</c> prints and writes as
/// <c>class-distribution.json</c> and <c>.md</c>.
/// </summary>
public sealed class ClassDistribution
{
    /// <summary>Version of the JSON shape; bumped only when a field is renamed or removed.</summary>
    public const int SchemaVersion = 1;

    /// <summary>Creates a distribution from per-split counts (in report order).</summary>
    public ClassDistribution(ClassSet classes, SelectionPolicy policy, IReadOnlyList<KeyValuePair<string, SelectionStats>> splits)
    {
        Classes = classes;
        Policy = policy;
        Splits = splits;
    }

    /// <summary>The classes counted, in label order.</summary>
    public ClassSet Classes { get; }

    /// <summary>The selection policy applied.</summary>
    public SelectionPolicy Policy { get; }

    /// <summary>Split name and counts, in report order.</summary>
    public IReadOnlyList<KeyValuePair<string, SelectionStats>> Splits { get; }

    /// <summary>The JSON document (indented, stable field order, no timestamps, so equal data gives equal bytes).</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("schema_version", SchemaVersion);
            json.WriteString("policy", Policy.ToName());
            Classes.WriteJson(json);
            json.WriteStartObject("splits");
            foreach (var (name, stats) in Splits)
            {
                WriteSplit(json, name, stats);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private void WriteSplit(Utf8JsonWriter json, string name, SelectionStats stats)
    {
        json.WriteStartObject(name);
        json.WriteNumber("clips_total", stats.ClipsTotal);
        json.WriteNumber("clips_selected", stats.ClipsSelected);
        json.WriteNumber("clips_multi", stats.ClipsMulti);
        json.WriteNumber("clips_none", stats.ClipsNone);
        json.WriteNumber("records_skipped", stats.RecordsSkipped);
        json.WriteStartObject("per_class");
        for (int i = 0; i < Classes.Count; i++)
        {
            json.WriteNumber(Classes[i].Name, stats.PerClass[i]);
        }

        json.WriteEndObject();
        WriteFrameCounts(json, "frame_counts_all", stats.FrameCountsAll);
        WriteFrameCounts(json, "frame_counts_selected", stats.FrameCountsSelected);
        json.WriteEndObject();
    }

    // Keys are frame counts ("10" also holds any longer clip); counts of zero are left out.
    private static void WriteFrameCounts(Utf8JsonWriter json, string property, IReadOnlyList<long> counts)
    {
        json.WriteStartObject(property);
        for (int frames = 0; frames < counts.Count; frames++)
        {
            if (counts[frames] > 0)
            {
                json.WriteNumber(frames.ToString(CultureInfo.InvariantCulture), counts[frames]);
            }
        }

        json.WriteEndObject();
    }

    /// <summary>The same figures as a Markdown document for CI logs and pull requests.</summary>
    public string ToMarkdown()
    {
        var md = new StringBuilder();
        md.AppendLine("# Class distribution").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Policy `{Policy.ToName()}`: a clip is kept when {PolicyInWords()}.").AppendLine();
        md.Append("| Class | AudioSet index |");
        foreach (var (split, _) in Splits)
        {
            md.Append(CultureInfo.InvariantCulture, $" {split} | {split} % |");
        }

        md.AppendLine().Append("|---|---:|");
        md.Append(string.Concat(Enumerable.Repeat("---:|---:|", Splits.Count))).AppendLine();
        for (int i = 0; i < Classes.Count; i++)
        {
            md.Append(CultureInfo.InvariantCulture, $"| {Classes[i].Name} | {Classes[i].Index} |");
            foreach (var (_, stats) in Splits)
            {
                md.Append(CultureInfo.InvariantCulture, $" {Count(stats.PerClass[i])} | {Percent(stats.PerClass[i], stats.ClipsSelected)} |");
            }

            md.AppendLine();
        }

        md.AppendLine().Append("| Clips |");
        md.Append(string.Concat(Splits.Select(s => $" {s.Key} |"))).AppendLine();
        md.Append("|---|").Append(string.Concat(Enumerable.Repeat("---:|", Splits.Count))).AppendLine();
        AppendRow(md, "total", s => s.ClipsTotal);
        AppendRow(md, "selected", s => s.ClipsSelected);
        AppendRow(md, "dropped: several selected labels", s => s.ClipsMulti);
        AppendRow(md, "dropped: no selected label", s => s.ClipsNone);
        AppendRow(md, "corrupt records skipped", s => s.RecordsSkipped);
        AppendRow(md, "selected with fewer than 10 frames", s => s.FrameCountsSelected.Take(SelectionStats.MaxTrackedFrames).Sum());
        return md.ToString();
    }

    private void AppendRow(StringBuilder md, string label, Func<SelectionStats, long> value)
    {
        md.Append(CultureInfo.InvariantCulture, $"| {label} |");
        foreach (var (_, stats) in Splits)
        {
            md.Append(CultureInfo.InvariantCulture, $" {Count(value(stats))} |");
        }

        md.AppendLine();
    }

    private string PolicyInWords() => Policy == SelectionPolicy.ExactlyOne
        ? "exactly one of its labels is one of these classes"
        : "any of its labels is one of these classes (the class listed first wins)";

    internal static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    internal static string Percent(long part, long whole) =>
        whole == 0 ? "–" : (100.0 * part / whole).ToString("0.0", CultureInfo.InvariantCulture);
}
