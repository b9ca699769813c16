using System.Text.Json;
using Custom.Evaluation;
using Custom.Tests.Support;

namespace Custom.Tests.Evaluation;

public sealed class LeaderboardTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static LeaderboardEntry Entry(string name, double[] folds, double evalMacroF1, double seconds) => new()
    {
        Name = name,
        Trainer = name.Split('+', ' ')[0],
        Features = "stats",
        Weighted = name.Contains("+weighted", StringComparison.Ordinal),
        CvMacroF1PerFold = folds,
        EvalAccuracy = 0.9,
        EvalMacroF1 = evalMacroF1,
        EvalBalancedAccuracy = 0.7,
        EvalWeightedF1 = 0.85,
        EvalLogLoss = 0.4,
        TrainSeconds = seconds,
    };

    // Means (fold values are exact in binary, so the tie is exact): Sdca 0.625, Lbfgs+weighted 0.75, FastTree 0.625
    // (tie with Sdca, first by name). Sdca has by far the best eval macro-F1, which must not matter.
    private static Leaderboard Board(double seconds = 12.5) => new(
    [
        Entry("Sdca / stats", [0.5, 0.625, 0.75], evalMacroF1: 0.99, seconds),
        Entry("LbfgsMaximumEntropy+weighted / stats", [0.75, 0.625, 0.875], evalMacroF1: 0.5, seconds + 1),
        Entry("FastTree / stats", [0.625, 0.625, 0.625], evalMacroF1: 0.6, seconds + 2),
    ]);

    [Fact]
    public void Ranks_by_mean_cv_macro_f1_then_name_and_chooses_the_first()
    {
        var board = Board();
        Assert.Equal(["LbfgsMaximumEntropy+weighted / stats", "FastTree / stats", "Sdca / stats"], board.Ranked.Select(e => e.Name));
        Assert.Same(board.Ranked[0], board.Chosen);
    }

    [Fact]
    public void Std_is_the_sample_standard_deviation_over_folds()
    {
        var entry = Entry("x", [0.5, 0.6, 0.7], 0, 0);
        Assert.Equal(0.6, entry.CvMacroF1Mean, 1e-12);
        Assert.Equal(0.1, entry.CvMacroF1Std, 1e-12);      // √((0.01 + 0 + 0.01) / 2); the population std would be 0.0816
        Assert.Equal(0, Entry("y", [0.6, 0.6, 0.6], 0, 0).CvMacroF1Std);
        Assert.Equal(0, Entry("z", [0.6], 0, 0).CvMacroF1Std);
    }

    [Fact]
    public void Json_marks_the_chosen_entry_and_how_it_was_chosen()
    {
        using var doc = JsonDocument.Parse(Board().ToJson());
        var root = doc.RootElement;
        Assert.Equal("cv_macro_f1", root.GetProperty("ranked_by").GetString());
        Assert.False(root.GetProperty("eval_used_for_selection").GetBoolean());
        Assert.Equal("LbfgsMaximumEntropy+weighted / stats", root.GetProperty("chosen_name").GetString());
        var entries = root.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal([true, false, false], entries.Select(e => e.GetProperty("chosen").GetBoolean()));
        Assert.Equal([1, 2, 3], entries.Select(e => e.GetProperty("rank").GetInt32()));
        var first = entries[0];
        Assert.Equal(0.75, first.GetProperty("cv_macro_f1_mean").GetDouble());
        Assert.Equal(0.125, first.GetProperty("cv_macro_f1_std").GetDouble(), 1e-12); // √((0 + 0.125² + 0.125²) / 2)
        Assert.Equal([0.75, 0.625, 0.875], first.GetProperty("cv_macro_f1_per_fold").EnumerateArray().Select(x => x.GetDouble()));
        Assert.True(first.GetProperty("weighted").GetBoolean());
        Assert.Equal(0.5, first.GetProperty("eval_macro_f1").GetDouble());
    }

    [Fact]
    public void Repeated_cross_validation_reports_folds_per_repeat_and_the_repeats()
    {
        var repeated = Entry("x", [0.5, 0.6, 0.7, 0.5, 0.6, 0.7], 0, 0) with { CvRepeats = 2 };
        var board = new Leaderboard([repeated]);
        using var doc = JsonDocument.Parse(board.ToJson());
        var entry = doc.RootElement.GetProperty("entries")[0];
        Assert.Equal(3, entry.GetProperty("cv_folds").GetInt32());
        Assert.Equal(2, entry.GetProperty("cv_repeats").GetInt32());
        Assert.Equal(6, entry.GetProperty("cv_macro_f1_per_fold").GetArrayLength());
        Assert.Contains("2 repeats of 3 folds", board.ToMarkdown(), StringComparison.Ordinal);

        using var single = JsonDocument.Parse(Board().ToJson());
        Assert.Equal(1, single.RootElement.GetProperty("entries")[0].GetProperty("cv_repeats").GetInt32());
        Assert.DoesNotContain("repeats of", Board().ToMarkdown(), StringComparison.Ordinal);
    }

    [Fact]
    public void Json_holds_no_timing_and_is_byte_identical_when_only_seconds_change()
    {
        string json = Board(seconds: 12.5).ToJson();
        Assert.DoesNotContain("second", json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("12.5", json, StringComparison.Ordinal);
        Assert.DoesNotContain("13.5", json, StringComparison.Ordinal);
        Assert.Equal(json, Board(seconds: 99.25).ToJson());
    }

    [Fact]
    public void Missing_eval_figures_are_written_as_null()
    {
        var entry = Entry("a", [0.5], 0, 1) with { EvalAccuracy = null };
        using var doc = JsonDocument.Parse(new Leaderboard([entry]).ToJson());
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("entries")[0].GetProperty("eval_accuracy").ValueKind);
    }

    [Fact]
    public void Timings_map_names_to_seconds()
    {
        using var doc = JsonDocument.Parse(Board(seconds: 12.5).TimingsJson());
        Assert.Equal(13.5, doc.RootElement.GetProperty("LbfgsMaximumEntropy+weighted / stats").GetDouble());
        Assert.Equal(12.5, doc.RootElement.GetProperty("Sdca / stats").GetDouble());
    }

    [Fact]
    public void Markdown_has_every_figure_marks_the_chosen_row_and_says_how_it_ranks()
    {
        string md = Board(seconds: 12.5).ToMarkdown();
        Assert.Contains("Ranked by mean cross-validated macro-F1 on bal_train", md);
        Assert.Contains("eval figures are shown for reference only", md);
        Assert.Contains("| 1 (chosen) | **LbfgsMaximumEntropy+weighted / stats** | LbfgsMaximumEntropy | stats | yes | no | 0.7500 ± 0.1250 | 0.7500, 0.6250, 0.8750 | 0.9000 | 0.5000 | 0.7000 | 0.8500 | 0.4000 | 13.5 |", md);
        Assert.Contains("| 3 | Sdca / stats |", md);
    }

    [Fact]
    public void Save_writes_the_three_files()
    {
        Board().Save(_temp.Path);
        Assert.Equal(Board().ToJson(), File.ReadAllText(_temp.File("leaderboard.json")));
        Assert.True(File.Exists(_temp.File("timings.json")));
        Assert.True(File.Exists(_temp.File("leaderboard.md")));
    }

    [Fact]
    public void Bad_entries_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new Leaderboard([]));
        Assert.Contains("listed twice", Assert.Throws<ArgumentException>(() => new Leaderboard([Entry("a", [0.5], 0, 1), Entry("a", [0.6], 0, 1)])).Message);
        Assert.Contains("no cross-validation folds", Assert.Throws<ArgumentException>(() => new Leaderboard([Entry("a", [], 0, 1)])).Message);
        Assert.Throws<ArgumentException>(() => new Leaderboard([Entry("a", [double.NaN], 0, 1)]));
    }

    [Fact]
    public void A_budgeted_board_lists_what_it_left_out_and_an_unbudgeted_one_is_written_as_before()
    {
        var plain = Board();
        var budgeted = new Leaderboard(plain.Ranked)
        {
            Budget = TimeSpan.FromMinutes(15),
            Skipped = [new SkippedCandidate("Mlp / stats", "not started: too slow | for the budget")],
        };

        Assert.DoesNotContain("budget", plain.ToJson(), StringComparison.Ordinal);
        Assert.DoesNotContain("Budget", plain.ToMarkdown(), StringComparison.Ordinal);
        using var json = JsonDocument.Parse(budgeted.ToJson());
        Assert.Equal(900, json.RootElement.GetProperty("budget_seconds").GetDouble());
        var skipped = Assert.Single(json.RootElement.GetProperty("skipped").EnumerateArray());
        Assert.Equal("Mlp / stats", skipped.GetProperty("name").GetString());
        Assert.Equal("not started: too slow | for the budget", skipped.GetProperty("reason").GetString());
        string md = budgeted.ToMarkdown();
        Assert.Contains("Budget 900 s: 3 candidates ranked, 1 left out.", md);
        Assert.Contains("| Mlp / stats | not started: too slow \\| for the budget |", md);
    }
}
