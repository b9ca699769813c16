using System.Net;
using System.Text;
using Custom.Data;
using Markdig;

namespace Custom.Evaluation.Reports;

/// <summary>
/// A report page: headings, paragraphs, tables and plotly.js charts. As a file (<see cref="Save"/>) it loads
/// plotly.js from a copy written beside it, so it works offline and never asks a CDN; in a notebook
/// (<see cref="ToFragment"/>) the same charts are drawn by the plotly.js that <see cref="PlotlyScript"/> emits.
/// </summary>
public sealed class HtmlPage
{
    /// <summary>The plotly.js file a saved page loads, written next to it.</summary>
    public const string PlotlyScriptFile = "plotly.min.js";

    private static readonly MarkdownPipeline Tables = new MarkdownPipelineBuilder().UsePipeTables().Build();
    private static int _chartIds;

    private readonly string _title;
    private readonly StringBuilder _body = new();
    private int _charts;

    /// <summary>Starts a page.</summary>
    public HtmlPage(string title)
    {
        _title = title;
        _body.Append("<h1>").Append(WebUtility.HtmlEncode(title)).AppendLine("</h1>");
    }

    /// <summary>Number of charts added.</summary>
    public int ChartCount => _charts;

    /// <summary>Adds a section heading.</summary>
    public HtmlPage Heading(string text)
    {
        _body.Append("<h2>").Append(WebUtility.HtmlEncode(text)).AppendLine("</h2>");
        return this;
    }

    /// <summary>Adds a paragraph (plain text).</summary>
    public HtmlPage Paragraph(string text)
    {
        _body.Append("<p>").Append(WebUtility.HtmlEncode(text)).AppendLine("</p>");
        return this;
    }

    /// <summary>Adds a table; the first row is the header.</summary>
    public HtmlPage Table(IReadOnlyList<IReadOnlyList<string>> rows)
    {
        _body.AppendLine("<table>");
        for (int r = 0; r < rows.Count; r++)
        {
            string cell = r == 0 ? "th" : "td";
            _body.Append("<tr>");
            foreach (string value in rows[r])
            {
                _body.Append('<').Append(cell).Append('>').Append(WebUtility.HtmlEncode(value)).Append("</").Append(cell).Append('>');
            }

            _body.AppendLine("</tr>");
        }

        _body.AppendLine("</table>");
        return this;
    }

    /// <summary>
    /// Adds a Markdown document (such as <see cref="Leaderboard.ToMarkdown"/>) rendered to HTML, its tables as HTML
    /// tables; its headings are demoted one level below the page's.
    /// </summary>
    public HtmlPage Markdown(string markdown)
    {
        _body.AppendLine(Markdig.Markdown.ToHtml(Demote(markdown), Tables));
        return this;
    }

    /// Sections of one page or report: each document's "# Title" becomes "## Title".
    internal static string Demote(string markdown) =>
        string.Join('\n', markdown.Split('\n').Select(line => line.StartsWith('#') ? "#" + line : line));

    /// Adds a chart; plotly.js keeps its data on the element (<c>element.data</c>), so tests can read it back.
    internal HtmlPage Chart(PlotlyFigure figure, string id)
    {
        _charts++;
        string element = $"custom-chart-{Interlocked.Increment(ref _chartIds)}";
        _body.Append("<div class=\"chart\" data-chart=\"").Append(WebUtility.HtmlEncode(id)).Append("\"><div id=\"").Append(element).AppendLine("\"></div>")
            .Append("<script type=\"text/javascript\">(function () { const figure = ").Append(figure.ToJson())
            .Append("; Plotly.newPlot('").Append(element).AppendLine("', figure.data, figure.layout, { displaylogo: false, responsive: true }); })();</script>")
            .AppendLine("</div>");
        return this;
    }

    /// <summary>
    /// The page's content without its document shell, for a notebook cell's <c>text/html</c> output. Its charts
    /// need plotly.js, emitted once per notebook by <see cref="PlotlyScript"/>.
    /// </summary>
    public string ToFragment() => $"<div class=\"custom-report\">\n<style>{Style(".custom-report ")}</style>\n{_body}</div>";

    /// <summary>The page's HTML.</summary>
    public string ToHtml() =>
        $$"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>{{WebUtility.HtmlEncode(_title)}}</title>
        <script src="{{PlotlyScriptFile}}"></script>
        <style>
          body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; color: #2a3f5f; }
          {{Style("")}}
        </style>
        </head>
        <body>
        {{_body}}
        </body>
        </html>
        """;

    /// <summary>Writes the page and plotly.js beside it (both atomically).</summary>
    public void Save(string path)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        AtomicFile.Write(Path.Combine(folder, PlotlyScriptFile), stream =>
        {
            using var script = OpenPlotly();
            script.CopyTo(stream);
        });
        AtomicFile.WriteAllText(path, ToHtml());
    }

    /// <summary>
    /// plotly.js (the copy embedded in this library) as an inline <c>script</c> element: display it once at the top
    /// of a notebook, before the first chart. It sets <c>window.Plotly</c> and loads nothing from the network.
    /// </summary>
    public static string PlotlyScript()
    {
        using var reader = new StreamReader(OpenPlotly());
        return $"<script type=\"text/javascript\">\n{reader.ReadToEnd()}\n</script>\n<p>plotly.js loaded (offline copy).</p>";
    }

    private static Stream OpenPlotly() =>
        typeof(HtmlPage).Assembly.GetManifestResourceStream(PlotlyScriptFile)
        ?? throw new InvalidOperationException($"{PlotlyScriptFile} is missing from {typeof(HtmlPage).Assembly.GetName().Name}");

    private static string Style(string scope) =>
        $"{scope}table {{ border-collapse: collapse; margin: 1rem 0; font-size: 0.9rem; }} " +
        $"{scope}th, {scope}td {{ border: 1px solid #d0d7e2; padding: 0.25rem 0.6rem; text-align: right; }} " +
        $"{scope}th:first-child, {scope}td:first-child {{ text-align: left; }} " +
        $"{scope}.chart {{ margin: 1rem 0; }}";
}
