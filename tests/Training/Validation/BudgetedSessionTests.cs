using System.Text.Json;
using Custom.Data;
using Custom.Data.Ingest;
using Custom.Data.Selection;
using Custom.Evaluation;
using Custom.Tests.Support;
using Custom.Training;
using Custom.Training.Features;
using Custom.Training.Trainers;

namespace Custom.Tests.Training.Validation;

/// A budgeted comparison end to end on the tiny synthetic data (no AudioSet needed). Timing itself is shown by the
/// measured runs in docs/budget.md, not here: these budgets are either far more than enough or far too small.
public sealed class BudgetedSessionTests : IDisposable
{
    private static readonly IReadOnlyList<LabeledClip> Train = Labeled(TinyData.Clips("tr", 6, 1));
    private static readonly IReadOnlyList<LabeledClip> Eval = Labeled(TinyData.Clips("ev", 3, 2));

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static IReadOnlyList<LabeledClip> Labeled(IEnumerable<Custom.Data.AudioSet.AudioSetClip> clips) =>
        clips.Select(c => new LabeledClip(c, ClassSet.Default.PositionOf(c.Labels[0]))).ToList();

    private static TrainingOptions Options(TimeSpan? budget) => new()
    {
        Folds = 2,
        Budget = budget,
        Candidates = Candidate.Grid([TrainerCatalog.Get("lbfgs-maxent"), TrainerCatalog.Get("naive-bayes")], [FeatureKind.Mean], offsetVariants: true),
    };

    [Fact]
    public void A_roomy_budget_ranks_every_candidate_with_the_figures_of_the_unbudgeted_run_and_fits_only_the_winner()
    {
        var budgeted = TrainingSession.Run(ClassSet.Default, Train, Eval, Options(TimeSpan.FromMinutes(10)));
        var plain = TrainingSession.Run(ClassSet.Default, Train, Eval, Options(null));

        Assert.Null(plain.Budget);
        var outcome = Assert.IsType<BudgetOutcome>(budgeted.Budget);
        Assert.Empty(outcome.Skipped);
        Assert.True(outcome.Elapsed > TimeSpan.Zero && outcome.Elapsed < outcome.Budget);

        // Same candidates, same order, same fold figures: the budget changes what runs, never a figure.
        Assert.Equal(plain.Ranked.Select(r => r.Candidate.Name), budgeted.Ranked.Select(r => r.Candidate.Name));
        Assert.Equal(plain.Ranked.Select(r => r.FoldMacroF1), budgeted.Ranked.Select(r => r.FoldMacroF1));

        // Only the chosen one has a final fit and eval figures, equal to the unbudgeted run's.
        Assert.NotNull(budgeted.Chosen.Eval);
        Assert.All(budgeted.Ranked.Skip(1).Where(r => r.Candidate.Base != budgeted.Chosen.Candidate.Base), r => Assert.Null(r.Eval));
        Assert.Equal(new MetricsDocument("eval", "t", "f", plain.Chosen.Eval!).ToJson(), new MetricsDocument("eval", "t", "f", budgeted.Chosen.Eval!).ToJson());

        // The chosen model saves as usual.
        budgeted.SaveModel(_temp.File("model.zip"));
        Assert.True(File.Exists(_temp.File("model.zip")));

        // The leaderboard says it had a budget; an unbudgeted one is written as before.
        using var json = JsonDocument.Parse(budgeted.ToLeaderboard("bal_train", "eval").ToJson());
        Assert.Equal(600, json.RootElement.GetProperty("budget_seconds").GetDouble());
        Assert.Equal(0, json.RootElement.GetProperty("skipped").GetArrayLength());
        using var plainJson = JsonDocument.Parse(plain.ToLeaderboard("bal_train", "eval").ToJson());
        Assert.False(plainJson.RootElement.TryGetProperty("budget_seconds", out _));
        Assert.Contains("Budget 600 s: 5 candidates ranked, 0 left out.", budgeted.ToLeaderboard("bal_train", "eval").ToMarkdown());
    }

    [Fact]
    public void A_budget_too_small_for_any_candidate_is_an_error_naming_the_cheapest()
    {
        var error = Assert.Throws<InvalidInputException>(() => TrainingSession.Run(ClassSet.Default, Train, Eval, Options(TimeSpan.FromMilliseconds(1))));
        Assert.StartsWith("--budget 0.001 s is too small for any candidate: the cheapest, naive-bayes/mean, was not started: ", error.Message);
    }

    [Fact]
    public void A_budget_of_zero_is_refused()
    {
        var error = Assert.Throws<InvalidInputException>(() => TrainingSession.Run(ClassSet.Default, Train, Eval, Options(TimeSpan.Zero)));
        Assert.StartsWith("--budget must be more than 0", error.Message);
    }

    [Fact]
    public void Train_with_a_budget_writes_the_package_and_lists_the_budget_in_the_leaderboard()
    {
        string data = TinyData.Dataset(_temp);
        string output = _temp.File("model");
        var (exit, stdout, stderr) = Custom.Tests.Cli.CliRunner.Run("train", "--data", data, "--out", output, "--budget", "5m",
            "--trainers", "lbfgs-maxent", "naive-bayes", "--features", "mean", "--folds", "2");
        Assert.True(exit == 0, stderr);
        Assert.Contains("budget 00:05:00: the comparison took ", stdout);
        Assert.True(File.Exists(Path.Combine(output, "model.onnx")));
        Assert.Contains("Budget 300 s: 3 candidates ranked, 0 left out.", File.ReadAllText(Path.Combine(output, "leaderboard.md")));

        var tooSmall = Custom.Tests.Cli.CliRunner.Run("train", "--data", data, "--out", _temp.File("none"), "--budget", "0.001s",
            "--trainers", "lbfgs-maxent", "--features", "mean", "--folds", "2");
        string line = Custom.Tests.Cli.CliRunner.AssertOneLineError(tooSmall);
        Assert.StartsWith("custom: error: --budget 0.001 s is too small for any candidate: the cheapest, lbfgs-maxent/mean, was not started", line);
        Assert.False(Directory.Exists(_temp.File("none")));
    }
}
