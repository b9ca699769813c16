using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Custom.Evaluation;

/// Shared formatting for the JSON and Markdown writers: invariant culture, so files do not depend on the machine.
internal static class Text
{
    public static string Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        // Files, not HTML: '+' in candidate names stays '+' rather than \u002B (the relaxed encoder still escapes
        // control characters and quotes).
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            write(json);
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    // One row per line keeps a 10×10 matrix readable; the indented writer would put each count on its own line.
    // A raw value gets no line break from the writer, so the row brings its own, indented like the writer's lines.
    public static void WriteCompactRow(Utf8JsonWriter json, IEnumerable<int> values) =>
        json.WriteRawValue("\n" + new string(' ', 2 * json.CurrentDepth) +
                           "[" + string.Join(",", values.Select(v => v.ToString(CultureInfo.InvariantCulture))) + "]");

    public static void WriteNumberOrNull(Utf8JsonWriter json, string name, double? value)
    {
        if (value is double number)
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    public static string Figure(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);

    public static string Figure(double? value) => value is double number ? Figure(number) : "–";

    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Cell(string value) => value.Replace("|", "\\|", StringComparison.Ordinal);
}
