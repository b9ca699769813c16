using System.Globalization;
using System.Text.Json;
using Custom.Data;

namespace Custom.Evaluation;

/// <summary>
/// A metrics file read back as a flat list of figures in file order, so two runs can be compared figure by figure.
/// Any JSON object works, so fields added later are compared too.
/// </summary>
public sealed class MetricsSnapshot
{
    private const string Missing = "(missing)";

    private MetricsSnapshot(IReadOnlyList<MetricsFigure> figures)
    {
        Figures = figures;
    }

    /// <summary>Every leaf value, in file order.</summary>
    public IReadOnlyList<MetricsFigure> Figures { get; }

    /// <summary>The figure named <paramref name="name"/>, or null.</summary>
    public MetricsFigure? Find(string name) => Figures.FirstOrDefault(f => f.Name == name);

    /// <summary>Reads a metrics file; a missing file or bad JSON is an <see cref="InvalidInputException"/> naming it.</summary>
    public static MetricsSnapshot Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new InvalidInputException($"{path}: metrics file not found");
        }

        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Reads metrics JSON; <paramref name="source"/> names it in error messages.</summary>
    public static MetricsSnapshot Parse(string json, string source = "metrics")
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new InvalidInputException($"{source}: not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidInputException($"{source}: expected a JSON object, found {root.ValueKind}");
            }

            var figures = new List<MetricsFigure>();
            Flatten(root, "", UniqueNames(root.TryGetProperty("classes", out var classes) ? classes : default), figures);
            return new MetricsSnapshot(figures);
        }
    }

    /// <summary>
    /// The figures that differ, one line each, like <c>macro_f1: 0.6123 -&gt; 0.6098</c> (values as written in the
    /// files; <c>(missing)</c> for a figure only one file has). Numbers within <paramref name="tolerance"/> (absolute)
    /// count as equal; other values must match exactly. Empty when the files agree.
    /// </summary>
    public static IReadOnlyList<string> Diff(MetricsSnapshot before, MetricsSnapshot after, double tolerance = 0)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        if (!(tolerance >= 0) || double.IsInfinity(tolerance))
        {
            throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "the tolerance must be a finite number ≥ 0");
        }

        var afterByName = new Dictionary<string, MetricsFigure>();
        foreach (var figure in after.Figures)
        {
            afterByName.TryAdd(figure.Name, figure);
        }

        var differences = new List<string>();
        var seen = new HashSet<string>();
        foreach (var old in before.Figures)
        {
            seen.Add(old.Name);
            if (!afterByName.TryGetValue(old.Name, out var now))
            {
                differences.Add($"{old.Name}: {old.Json} -> {Missing}");
            }
            else if (!Agree(old, now, tolerance))
            {
                differences.Add($"{old.Name}: {old.Json} -> {now.Json}");
            }
        }

        differences.AddRange(after.Figures.Where(f => !seen.Contains(f.Name)).Select(f => $"{f.Name}: {Missing} -> {f.Json}"));
        return differences;
    }

    private static bool Agree(MetricsFigure a, MetricsFigure b, double tolerance) =>
        a.Number is double x && b.Number is double y ? Math.Abs(x - y) <= tolerance : a.Json == b.Json;

    private static void Flatten(JsonElement element, string path, IReadOnlyList<string>? classNames, List<MetricsFigure> figures)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Flatten(property.Value, path.Length == 0 ? property.Name : path + "." + property.Name, classNames, figures);
                }

                break;
            case JsonValueKind.Array:
                var keys = ElementKeys(element, path, classNames);
                int i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Flatten(item, $"{path}[{keys[i++]}]", classNames, figures);
                }

                break;
            default:
                double? number = element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out double value) ? value : null;
                // Strings compare by value: "a\u002Bb" and "a+b" are the same name, however a writer escaped it.
                string json = element.ValueKind == JsonValueKind.String ? $"\"{element.GetString()}\"" : element.GetRawText();
                figures.Add(new MetricsFigure(path, json, number));
                break;
        }
    }

    // Elements are named rather than numbered where a name exists: by their own "name" field (classes, per_class),
    // or by class for the confusion matrix's rows and columns. A reordering then shows up as changed figures.
    private static IReadOnlyList<string> ElementKeys(JsonElement array, string path, IReadOnlyList<string>? classNames)
    {
        var own = UniqueNames(array);
        if (own is not null)
        {
            return own;
        }

        bool isMatrix = path == "confusion_matrix" || path.StartsWith("confusion_matrix[", StringComparison.Ordinal);
        if (isMatrix && classNames is not null && classNames.Count == array.GetArrayLength())
        {
            return classNames;
        }

        return Enumerable.Range(0, array.GetArrayLength()).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
    }

    // The "name" of every element, when every element is an object with a distinct string name; otherwise null.
    private static IReadOnlyList<string>? UniqueNames(JsonElement array)
    {
        if (array.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var names = new List<string>();
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("name", out var name) ||
                name.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(name.GetString()))
            {
                return null;
            }

            names.Add(name.GetString()!);
        }

        return names.Distinct(StringComparer.Ordinal).Count() == names.Count && names.Count > 0 ? names : null;
    }
}
