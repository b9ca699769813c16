using System.Globalization;
using System.Text;
using Custom.Data.Reports;

namespace Custom.Evaluation.Reports;

/// <summary>
/// <c>report.html</c> and <c>report.md</c> of a training run, drawn from the same objects as <c>leaderboard.json</c>,
/// <c>metrics.json</c> and <c>class-distribution.json</c>.
/// </summary>
public static class TrainingReport
{
    /// A class whose F1 on the evaluation split is below this is called weak.
    internal const double WeakF1 = 0.5;

    // What a reader cannot guess from a candidate's name; ML.NET's trainers are named after their ML.NET classes.
    private static readonly Dictionary<string, string> Glossary = new(StringComparer.Ordinal)
    {
        ["mlp"] = "mlp is this project's one-hidden-layer perceptron (256 ReLU units, dropout, L2 penalty, Adam), scored as the average of 3 networks trained from consecutive seeds.",
        ["attention"] = "attention is this project's model of the clip's frames: 128 ReLU units shared by every frame, then class-wise attention pooling over the real frames (after Kong et al. 2018), trained with Adam and L2 regularisation.",
    };

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

    /// <summary>
    /// What to read into the figures: what the candidates are, whether the top two are told apart by
    /// cross-validation (their mean ± one standard deviation intervals overlap or not), and which classes are weak.
    /// </summary>
    public static IReadOnlyList<string> Findings(Leaderboard leaderboard, MetricsDocument chosen)
    {
        var findings = new List<string>();
        foreach (string trainer in leaderboard.Ranked.Select(e => e.Trainer).Distinct())
        {
            if (Glossary.TryGetValue(trainer, out string? note))
            {
                findings.Add(note);
            }
        }

        if (leaderboard.Ranked.Count > 1)
        {
            var (first, second) = (leaderboard.Ranked[0], leaderboard.Ranked[1]);
            bool overlap = first.CvMacroF1Mean - first.CvMacroF1Std <= second.CvMacroF1Mean + second.CvMacroF1Std;
            findings.Add(string.Create(CultureInfo.InvariantCulture,
                $"The top two, {first.Name} ({first.CvMacroF1Mean:F3} ± {first.CvMacroF1Std:F3}) and {second.Name} ({second.CvMacroF1Mean:F3} ± {second.CvMacroF1Std:F3}), ") +
                (overlap
                    ? "overlap within one standard deviation: cross-validation does not tell them apart, and the ranking between them could swap with other folds."
                    : "do not overlap within one standard deviation: the first is ahead by more than the fold-to-fold spread."));
        }

        if (chosen.OpenSet is { } open)
        {
            var f = open.Figures;
            int known = f.All.Classes.Count - 1;
            string closed(Func<ClosedFigures, double> figure, string format) =>
                open.Closed is { } c ? " (closed model: " + figure(c).ToString(format, CultureInfo.InvariantCulture) + ")" : "";
            findings.Add(string.Create(CultureInfo.InvariantCulture,
                $"Open set, on all {f.All.Count:N0} {chosen.Split} clips: {known + 1}-class macro-F1 {f.All.MacroF1:F3}{closed(c => c.MacroF1, "F3")}; ") +
                string.Create(CultureInfo.InvariantCulture, $"{f.NoneGivenKnownShare:P1} of the {f.NoneClips:N0} clips carrying none of the {known} classes were given one of them{closed(c => c.NoneGivenKnownShare, "P1")}; ") +
                string.Create(CultureInfo.InvariantCulture, $"on the {f.SelectedClips:N0} selected clips, macro-F1 {f.SelectedMacroF1:F3}{closed(c => c.SelectedMacroF1, "F3")} and accuracy {f.SelectedAccuracy:F3}{closed(c => c.SelectedAccuracy, "F3")}, {f.SelectedGivenOther:N0} answered \"{f.All.Classes[^1].Name}\"."));
        }

        var weak = chosen.Metrics.PerClass.Where(c => c.Support > 0 && c.F1 < WeakF1).OrderBy(c => c.F1).ToList();
        findings.Add(weak.Count == 0
            ? string.Create(CultureInfo.InvariantCulture, $"No class has F1 below {WeakF1:F1} on {chosen.Split}.")
            : string.Create(CultureInfo.InvariantCulture, $"Weak classes (F1 below {WeakF1:F1} on {chosen.Split}): ") +
              string.Join(", ", weak.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Name} (F1 {c.F1:F3}, {c.Support:N0} clips)"))) + ".");
        return findings;
    }

    /// <summary>Builds the HTML page.</summary>
    public static HtmlPage Build(Leaderboard leaderboard, MetricsDocument chosen, ClassDistribution data)
    {
        var page = new HtmlPage("Training report");
        page.Paragraph(Summary(leaderboard, chosen));
        foreach (string finding in Findings(leaderboard, chosen))
        {
            page.Paragraph(finding);
        }

        var names = leaderboard.Ranked.Select(e => e.Name).ToArray();
        var candidates = new PlotlyFigure("Candidates, best first", 500).XAxis("candidate").YAxis("macro-F1", max: 1)
            .Bars($"CV macro-F1 ({leaderboard.CvSplit}, mean ± std)", names, leaderboard.Ranked.Select(e => e.CvMacroF1Mean), leaderboard.Ranked.Select(e => e.CvMacroF1Std))
            .Bars($"{leaderboard.EvalSplit} macro-F1 (not used to choose)", names, leaderboard.Ranked.Select(e => e.EvalMacroF1));
        page.Markdown(leaderboard.ToMarkdown()).Chart(candidates, "leaderboard");

        var m = chosen.Metrics;
        var classes = m.PerClass.Select(c => c.Name).ToArray();
        var perClass = new PlotlyFigure("Per-class precision, recall and F1", 450).XAxis("class").YAxis("score", max: 1)
            .Bars("precision", classes, m.PerClass.Select(c => c.Precision))
            .Bars("recall", classes, m.PerClass.Select(c => c.Recall))
            .Bars("F1", classes, m.PerClass.Select(c => c.F1));
        page.Markdown(chosen.ToMarkdown()).Chart(perClass, "per-class");

        var normalized = m.ConfusionMatrix.Select(row => { double total = row.Sum(); return row.Select(v => total == 0 ? 0 : v / total).ToArray(); }).ToArray();
        var labels = normalized.Select((row, r) => row.Select((v, c) => string.Create(CultureInfo.InvariantCulture, $"{v:0.00} ({m.ConfusionMatrix[r][c]})")).ToArray()).ToArray();
        var heatmap = new PlotlyFigure("Confusion matrix, each row normalized (true class → predicted class; counts in brackets)", 800)
            .Heatmap(classes, classes, normalized, labels, "share of the true class")
            .XAxis("predicted class")
            .YAxis("true class", reversed: true);
        page.Chart(heatmap, "confusion");

        page.Heading("Training data").Chart(DistributionReport.PerClass(data, data.Classes.Names, "Selected clips per class (log scale)").LogYAxis("clips (log scale)"), "distribution");
        return page;
    }

    /// <summary>The same content as Markdown, for CI logs and pull requests.</summary>
    public static string ToMarkdown(Leaderboard leaderboard, MetricsDocument chosen, ClassDistribution data)
    {
        var md = new StringBuilder();
        md.AppendLine("# Training report").AppendLine();
        md.AppendLine(Summary(leaderboard, chosen)).AppendLine();
        foreach (string finding in Findings(leaderboard, chosen))
        {
            md.Append("- ").AppendLine(finding);
        }

        md.AppendLine();
        md.AppendLine(HtmlPage.Demote(leaderboard.ToMarkdown())).AppendLine();
        md.AppendLine(HtmlPage.Demote(chosen.ToMarkdown())).AppendLine();
        md.AppendLine(HtmlPage.Demote(data.ToMarkdown()));
        return md.ToString();
    }
}
