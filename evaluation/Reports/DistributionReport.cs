using System.Globalization;
using Custom.Data.Reports;
using Plotly.NET;
using Plotly.NET.CSharp;
using Chart = Plotly.NET.CSharp.Chart;

namespace Custom.Evaluation.Reports;

/// <summary><c>class-distribution.html</c>: the numbers of <see cref="ClassDistribution"/>, drawn.</summary>
public static class DistributionReport
{
    /// <summary>Builds the page from the same object that <c>class-distribution.json</c> is written from.</summary>
    public static HtmlPage Build(ClassDistribution distribution)
    {
        var names = distribution.Classes.Names;
        var page = new HtmlPage("Class distribution");
        page.Paragraph($"Selection policy {SelectionName(distribution)}. Speech dwarfs every other class, so the counts are drawn twice: on a linear and on a log scale.");

        page.Chart(PerClass(distribution, names).Titled("Selected clips per class").WithSize(1000, 450), "per-class");
        page.Chart(PerClass(distribution, names).Titled("Selected clips per class (log scale)")
            .WithYAxisStyle<double, double, string>(AxisType: StyleParam.AxisType.Log).WithSize(1000, 450), "per-class-log");

        string[] outcomes = ["selected", "dropped: several selected labels", "dropped: no selected label", "corrupt records skipped"];
        var breakdown = distribution.Splits.Select(s => Chart.Column<long, string, string>(
            new[] { s.Value.ClipsSelected, s.Value.ClipsMulti, s.Value.ClipsNone, s.Value.RecordsSkipped }, Keys: outcomes, Name: s.Key));
        page.Chart(Chart.Combine(breakdown).Titled("What happened to every clip").WithSize(1000, 400), "breakdown");

        var frames = distribution.Splits.Select(s => Chart.Column<long, string, string>(
            s.Value.FrameCountsAll.Skip(1).ToArray(), Keys: Enumerable.Range(1, s.Value.FrameCountsAll.Count - 1).Select(FrameLabel).ToArray(), Name: s.Key));
        page.Chart(Chart.Combine(frames).Titled("Clips by number of one-second frames (all clips, log scale)")
            .WithYAxisStyle<double, double, string>(AxisType: StyleParam.AxisType.Log).WithSize(1000, 400), "frames");

        var header = new List<string> { "class", "AudioSet index" };
        header.AddRange(distribution.Splits.Select(s => s.Key));
        var rows = new List<IReadOnlyList<string>> { header };
        for (int c = 0; c < names.Count; c++)
        {
            var row = new List<string> { names[c], distribution.Classes[c].Index.ToString(CultureInfo.InvariantCulture) };
            row.AddRange(distribution.Splits.Select(s => s.Value.PerClass[c].ToString("N0", CultureInfo.InvariantCulture)));
            rows.Add(row);
        }

        page.Heading("Counts").Table(rows);
        return page;
    }

    private static GenericChart PerClass(ClassDistribution distribution, IReadOnlyList<string> names) =>
        Chart.Combine(distribution.Splits.Select(s => Chart.Column<long, string, string>(s.Value.PerClass.ToArray(), Keys: names.ToArray(), Name: s.Key)));

    private static string FrameLabel(int frames) => frames == 10 ? "10+" : frames.ToString(CultureInfo.InvariantCulture);

    private static string SelectionName(ClassDistribution distribution) =>
        distribution.Policy == Custom.Data.Selection.SelectionPolicy.ExactlyOne
            ? "exactly-one: a clip is kept when exactly one of its labels is one of these classes"
            : "first-listed: a clip is kept when any label is one of these classes; the first listed wins";
}
