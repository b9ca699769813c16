using System.Text.Json.Nodes;

namespace Custom.Evaluation.Reports;

/// <summary>
/// A plotly.js figure (<c>{ data, layout }</c>) built as JSON: the one chart format of the HTML reports and the
/// notebooks. plotly.js draws it in the browser; nothing here needs a charting library at run time.
/// </summary>
internal sealed class PlotlyFigure
{
    private readonly JsonArray _data = [];
    private readonly JsonObject _layout;

    public PlotlyFigure(string title, int height)
    {
        _layout = new JsonObject
        {
            ["title"] = new JsonObject { ["text"] = title },
            ["height"] = height,
            ["autosize"] = true,
            ["barmode"] = "group",
            ["font"] = new JsonObject { ["family"] = "system-ui, sans-serif", ["color"] = "#2a3f5f" },
            ["legend"] = new JsonObject { ["orientation"] = "h", ["x"] = 1, ["xanchor"] = "right", ["y"] = 1.02, ["yanchor"] = "bottom" },
        };
    }

    /// Adds a bar trace; <paramref name="errors"/> are symmetric error bars.
    public PlotlyFigure Bars<T>(string name, IEnumerable<string> x, IEnumerable<T> y, IEnumerable<double>? errors = null)
    {
        var trace = new JsonObject
        {
            ["type"] = "bar",
            ["name"] = name,
            ["x"] = Array(x),
            ["y"] = Array(y),
        };
        if (errors is not null)
        {
            trace["error_y"] = new JsonObject { ["type"] = "data", ["symmetric"] = true, ["array"] = Array(errors), ["visible"] = true };
        }

        _data.Add(trace);
        return this;
    }

    /// Adds a heatmap of values in [0, 1] on <see cref="Viridis"/>, with a text label on each cell in the colour
    /// (black or white) that contrasts more with the cell.
    public PlotlyFigure Heatmap(IReadOnlyList<string> x, IReadOnlyList<string> y, double[][] z, string[][] labels, string colorbarTitle)
    {
        _data.Add(new JsonObject
        {
            ["type"] = "heatmap",
            ["x"] = Array(x),
            ["y"] = Array(y),
            ["z"] = new JsonArray(z.Select(row => (JsonNode)Array(row)).ToArray()),
            ["zmin"] = 0,
            ["zmax"] = 1,
            ["colorscale"] = new JsonArray(Viridis.Stops.Select(s => (JsonNode)new JsonArray(s.Position, s.Hex)).ToArray()),
            ["colorbar"] = new JsonObject { ["title"] = new JsonObject { ["text"] = colorbarTitle } },
            ["hovertemplate"] = "true %{y}<br>predicted %{x}<br>%{z:.3f}<extra></extra>",
        });
        var annotations = new JsonArray();
        for (int r = 0; r < z.Length; r++)
        {
            for (int c = 0; c < z[r].Length; c++)
            {
                annotations.Add(new JsonObject
                {
                    ["x"] = x[c],
                    ["y"] = y[r],
                    ["text"] = labels[r][c],
                    ["showarrow"] = false,
                    ["font"] = new JsonObject { ["color"] = Viridis.LabelColor(z[r][c]), ["size"] = 11 },
                });
            }
        }

        _layout["annotations"] = annotations;
        return this;
    }

    /// Titles the x axis.
    public PlotlyFigure XAxis(string title)
    {
        _layout["xaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = title }, ["automargin"] = true };
        return this;
    }

    /// Titles the y axis; <paramref name="reversed"/> puts the first category at the top.
    public PlotlyFigure YAxis(string title, bool reversed = false, double? max = null)
    {
        var axis = new JsonObject { ["title"] = new JsonObject { ["text"] = title }, ["automargin"] = true };
        if (reversed)
        {
            axis["autorange"] = "reversed";
        }

        if (max is double top)
        {
            axis["range"] = new JsonArray(0, top);
        }

        _layout["yaxis"] = axis;
        return this;
    }

    /// A log-scale y axis with a labelled tick at each power of ten only (1, 10, 100, 1,000, …): counts spread
    /// over four decades read at a glance, and plotly's default 2 and 5 minor labels would crowd them.
    public PlotlyFigure LogYAxis(string title)
    {
        _layout["yaxis"] = new JsonObject
        {
            ["title"] = new JsonObject { ["text"] = title },
            ["type"] = "log",
            ["dtick"] = 1,
            ["tickformat"] = ",d",
            ["automargin"] = true,
        };
        return this;
    }

    /// The figure as plotly.js takes it. The default encoder escapes &lt;, &gt; and &amp;, so the JSON can be put
    /// inside a script element as it is.
    public string ToJson() => new JsonObject { ["data"] = _data.DeepClone(), ["layout"] = _layout.DeepClone() }.ToJsonString();

    // JSON has no NaN or infinity: a missing figure is null, which plotly.js leaves out.
    private static JsonArray Array<T>(IEnumerable<T> values) =>
        new(values.Select(v => v is double d && !double.IsFinite(d) ? null : (JsonNode?)JsonValue.Create(v)).ToArray());
}
