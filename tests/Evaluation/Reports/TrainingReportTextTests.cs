using Custom.Evaluation;
using Custom.Evaluation.Reports;

namespace Custom.Tests.Evaluation.Reports;

public sealed class TrainingReportTextTests
{
    private static MetricsDocument Metrics() => new("eval", "mlp", "mean", SmallCase.Metrics());

    private static LeaderboardEntry Entry(string name, string trainer, params double[] folds) =>
        new() { Name = name, Trainer = trainer, Features = "mean", CvMacroF1PerFold = folds };

    [Fact]
    public void Findings_say_what_mlp_is_whether_the_top_two_overlap_and_which_classes_are_weak()
    {
        var overlapping = new Leaderboard([Entry("mlp/mean", "mlp", 0.60, 0.64), Entry("lightgbm/stats", "lightgbm", 0.59, 0.63)]);
        var findings = TrainingReport.Findings(overlapping, Metrics());
        Assert.Contains(findings, f => f.StartsWith("mlp is this project's one-hidden-layer perceptron", StringComparison.Ordinal) && f.Contains("average of 3 networks", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.Contains("mlp/mean (0.620 ± 0.028) and lightgbm/stats (0.610 ± 0.028), overlap within one standard deviation", StringComparison.Ordinal));

        // SmallCase: A has F1 2/3, B 0.4, C 0 (never predicted).
        Assert.Contains("Weak classes (F1 below 0.5 on eval): C (F1 0.000, 2 clips), B (F1 0.400, 2 clips).", findings);

        var apart = new Leaderboard([Entry("a", "lbfgs-maxent", 0.70, 0.71), Entry("b", "sdca-maxent", 0.60, 0.61)]);
        var text = TrainingReport.Findings(apart, Metrics());
        Assert.Contains(text, f => f.Contains("do not overlap", StringComparison.Ordinal));
        Assert.DoesNotContain(text, f => f.StartsWith("mlp is", StringComparison.Ordinal));
    }

    [Fact]
    public void Report_markdown_carries_the_findings()
    {
        var leaderboard = new Leaderboard([Entry("mlp/mean", "mlp", 0.60, 0.64), Entry("lightgbm/stats", "lightgbm", 0.59, 0.63)]);
        var distribution = new Custom.Data.Reports.ClassDistribution(SmallCase.Classes, Custom.Data.Selection.SelectionPolicy.ExactlyOne, []);
        string md = TrainingReport.ToMarkdown(leaderboard, Metrics(), distribution);
        foreach (string finding in TrainingReport.Findings(leaderboard, Metrics()))
        {
            Assert.Contains("- " + finding, md);
        }
    }

    [Fact]
    public void Every_confusion_cell_label_contrasts_at_least_4_5_to_1_with_its_cell()
    {
        for (int i = 0; i <= 1000; i++)
        {
            double value = i / 1000.0;
            double cell = Viridis.Luminance(Viridis.ColorAt(value));
            double label = Viridis.Luminance(Viridis.Rgb(Viridis.LabelColor(value)));
            Assert.True(Viridis.Contrast(cell, label) >= 4.5, $"value {value}: contrast {Viridis.Contrast(cell, label):F2}");
        }

        // The shares that were unreadable (dark on dark) get white labels.
        Assert.All(new[] { 0.05, 0.1, 0.2, 0.3 }, v => Assert.Equal(Viridis.Light, Viridis.LabelColor(v)));
        Assert.Equal(Viridis.Dark, Viridis.LabelColor(0.9));
    }
}
