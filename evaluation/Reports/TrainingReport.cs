using System.Globalization;
using System.Text;
using Custom.Data.Reports;
using Plotly.NET;
using Plotly.NET.CSharp;
using Chart = Plotly.NET.CSharp.Chart;

namespace Custom.Evaluation.Reports;

/// <summary>
/// <c>report.html</c> and <c>report.md</c> of a training run, drawn from the same objects as <c>leaderboard.json</c>,
/// <c>metrics.json</c> and <c>class-distribution.json</c>.
/// </summary>
public static class TrainingReport
{
    /// <summary>The short text that opens both reports: who won, on what, and why accuracy alone misleads.</summary>
    public static string Summary(Leaderboard leaderboard, MetricsDocument chosen)
    {
        var m = chosen.Metrics;
        var majority = m.PerClass.OrderByDescending(c => c.Support).First();
        double majorityShare = (double)majority.Support / m.Count;
        int present = m.PerClass.Count(c => c.Support > 0);
        double majorityMacroF1 = 2 * majorityShare / (1 + majorityShare) / present;
        var winner = leaderboard.Chosen;
        return string.Create(CultureInfo.InvariantCulture,
            $"Chosen model: {winner.Name}, the best of {leaderboard.Ranked.Count} candidates by mean macro-F1 over stratified cross-validation on {leaderboard.CvSplit} " +
            $"({winner.CvMacroF1Mean:F3} ± {winner.CvMacroF1Std:F3}); {leaderboard.EvalSplit} was not used to choose. " +
            $"On {chosen.Split} ({m.Count:N0} clips): macro-F1 {m.MacroF1:F3}, balanced accuracy {m.BalancedAccuracy:F3}, accuracy {m.Accuracy:F3}. " +
            $"Accuracy alone would mislead: {majority.Name} is {majorityShare:P1} of the clips, so always answering {majority.Name} scores accuracy {majorityShare:F3} " +
            $"while its macro-F1 is only {majorityMacroF1:F3}.");
    }

    /// <summary>Builds the HTML page.</summary>
    public static HtmlPage Build(Leaderboard leaderboard, MetricsDocument chosen, ClassDistribution data)
    {
        var page = new HtmlPage("Training report");
        page.Paragraph(Summary(leaderboard, chosen));

        var names = leaderboard.Ranked.Select(e => e.Name).ToArray();
        var cv = Chart.Column<double, string, string>(leaderboard.Ranked.Select(e => e.CvMacroF1Mean).ToArray(), Keys: names, Name: $"CV macro-F1 ({leaderboard.CvSplit}, mean ± std)")
            .WithErrorBars(leaderboard.Ranked.Select(e => e.CvMacroF1Std));
        var eval = Chart.Column<double, string, string>(leaderboard.Ranked.Select(e => e.EvalMacroF1 ?? double.NaN).ToArray(), Keys: names, Name: $"{leaderboard.EvalSplit} macro-F1 (not used to choose)");
        page.Heading("Leaderboard").Chart(Chart.Combine([cv, eval]).Titled("Candidates, best first").WithSize(1100, 500), "leaderboard");

        var m = chosen.Metrics;
        var classes = m.PerClass.Select(c => c.Name).ToArray();
        var perClass = new[]
        {
            Chart.Column<double, string, string>(m.PerClass.Select(c => c.Precision).ToArray(), Keys: classes, Name: "precision"),
            Chart.Column<double, string, string>(m.PerClass.Select(c => c.Recall).ToArray(), Keys: classes, Name: "recall"),
            Chart.Column<double, string, string>(m.PerClass.Select(c => c.F1).ToArray(), Keys: classes, Name: "F1"),
        };
        page.Heading($"The chosen model on {chosen.Split}").Chart(Chart.Combine(perClass).Titled("Per-class precision, recall and F1").WithSize(1100, 450), "per-class");

        var normalized = m.ConfusionMatrix.Select(row => { double total = row.Sum(); return row.Select(v => total == 0 ? 0 : v / total).ToArray(); }).ToArray();
        var annotations = normalized.Select((row, r) => row.Select((v, c) => string.Create(CultureInfo.InvariantCulture, $"{v:0.00} ({m.ConfusionMatrix[r][c]})")).ToArray()).ToArray();
        var heatmap = Chart.AnnotatedHeatmap<double, string, string, string>(normalized, annotations, X: classes, Y: classes, ReverseYAxis: true, ColorScale: StyleParam.Colorscale.Viridis)
            .Titled("Confusion matrix, each row normalized (true class → predicted class; counts in brackets)")
            .WithXAxisStyle<double, double, string>(TitleText: "predicted")
            .WithYAxisStyle<double, double, string>(TitleText: "true")
            .WithSize(1000, 800);
        page.Chart(heatmap, "confusion");

        var distribution = Chart.Combine(data.Splits.Select(s => Chart.Column<long, string, string>(s.Value.PerClass.ToArray(), Keys: data.Classes.Names.ToArray(), Name: s.Key)))
            .Titled("Selected clips per class (log scale)")
            .WithYAxisStyle<double, double, string>(AxisType: StyleParam.AxisType.Log)
            .WithSize(1000, 420);
        page.Heading("Training data").Chart(distribution, "distribution");
        return page;
    }

    /// <summary>The same content as Markdown, for CI logs and pull requests.</summary>
    public static string ToMarkdown(Leaderboard leaderboard, MetricsDocument chosen, ClassDistribution data)
    {
        var md = new StringBuilder();
        md.AppendLine("# Training report").AppendLine();
        md.AppendLine(Summary(leaderboard, chosen)).AppendLine();
        md.AppendLine(Demote(leaderboard.ToMarkdown())).AppendLine();
        md.AppendLine(Demote(chosen.ToMarkdown())).AppendLine();
        md.AppendLine(Demote(data.ToMarkdown()));
        return md.ToString();
    }

    // Sections of one report: each document's "# Title" becomes "## Title".
    private static string Demote(string markdown) =>
        string.Join('\n', markdown.Split('\n').Select(line => line.StartsWith('#') ? "#" + line : line));
}
