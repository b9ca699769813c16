using System.Globalization;
using Custom.Data.Reports;

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

        page.Chart(PerClass(distribution, names, "Selected clips per class").YAxis("clips"), "per-class");
        page.Chart(PerClass(distribution, names, "Selected clips per class (log scale)").LogYAxis("clips (log scale)"), "per-class-log");

        string[] outcomes = ["selected", "dropped: several selected labels", "dropped: no selected label", "corrupt records skipped"];
        var breakdown = new PlotlyFigure("What happened to every clip", 420).XAxis("outcome").YAxis("clips");
        foreach (var (split, stats) in distribution.Splits)
        {
            breakdown.Bars(split, outcomes, new[] { stats.ClipsSelected, stats.ClipsMulti, stats.ClipsNone, stats.RecordsSkipped });
        }

        page.Chart(breakdown, "breakdown");

        var frames = new PlotlyFigure("Clips by number of one-second frames (all clips)", 420).XAxis("one-second frames per clip").LogYAxis("clips (log scale)");
        foreach (var (split, stats) in distribution.Splits)
        {
            frames.Bars(split, Enumerable.Range(1, stats.FrameCountsAll.Count - 1).Select(FrameLabel), stats.FrameCountsAll.Skip(1));
        }

        page.Chart(frames, "frames");

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

    internal static PlotlyFigure PerClass(ClassDistribution distribution, IReadOnlyList<string> names, string title)
    {
        var figure = new PlotlyFigure(title, 450).XAxis("class");
        foreach (var (split, stats) in distribution.Splits)
        {
            figure.Bars(split, names, stats.PerClass);
        }

        return figure;
    }

    private static string FrameLabel(int frames) => frames == 10 ? "10+" : frames.ToString(CultureInfo.InvariantCulture);

    private static string SelectionName(ClassDistribution distribution) =>
        distribution.Policy == Custom.Data.Selection.SelectionPolicy.ExactlyOne
            ? "exactly-one: a clip is kept when exactly one of its labels is one of these classes"
            : "first-listed: a clip is kept when any label is one of these classes; the first listed wins";
}
