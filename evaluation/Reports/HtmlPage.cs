using System.Net;
using System.Text;
using Custom.Data;
using Plotly.NET;

namespace Custom.Evaluation.Reports;

/// <summary>
/// A self-contained report page: headings, paragraphs, tables and Plotly.NET charts. plotly.js is written beside the
/// page (from the copy Plotly.NET ships), so the page works offline and never asks a CDN.
/// </summary>
public sealed class HtmlPage
{
    /// <summary>The plotly.js file the page loads, written next to it.</summary>
    public const string PlotlyScript = "plotly.min.js";

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

    /// <summary>Adds a chart; its data stays on the element (<c>element.data</c>), so tests can read it back.</summary>
    public HtmlPage Chart(GenericChart chart, string id)
    {
        _charts++;
        _body.Append("<div class=\"chart\" data-chart=\"").Append(WebUtility.HtmlEncode(id)).Append("\">")
            .Append(GenericChart.toChartHTML(chart))
            .AppendLine("</div>");
        return this;
    }

    /// <summary>The page's HTML.</summary>
    public string ToHtml() =>
        $$"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>{{WebUtility.HtmlEncode(_title)}}</title>
        <script src="{{PlotlyScript}}"></script>
        <style>
          body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; color: #2a3f5f; }
          table { border-collapse: collapse; margin: 1rem 0; font-size: 0.9rem; }
          th, td { border: 1px solid #d0d7e2; padding: 0.25rem 0.6rem; text-align: right; }
          th:first-child, td:first-child { text-align: left; }
          .chart { margin: 1rem 0; }
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
        var assembly = typeof(GenericChart).Assembly;
        string resource = assembly.GetManifestResourceNames().Single(n => n.EndsWith(".min.js", StringComparison.Ordinal));
        AtomicFile.Write(Path.Combine(folder, PlotlyScript), stream =>
        {
            using var script = assembly.GetManifestResourceStream(resource)!;
            script.CopyTo(stream);
        });
        AtomicFile.WriteAllText(path, ToHtml());
    }
}
