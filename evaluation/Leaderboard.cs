using System.Globalization;
using System.Text;
using Custom.Data;
using static System.FormattableString;

namespace Custom.Evaluation;

/// <summary>
/// Candidates ranked by mean cross-validated macro-F1 on the training split (descending; ties by name, ordinal: <see cref="Ranking"/>).
/// The first is the chosen model. Held-out figures are reported for every candidate and never used to rank.
/// </summary>
public sealed class Leaderboard
{
    /// <summary>Version of the JSON shapes; bumped only when a field is renamed or removed.</summary>
    public const int SchemaVersion = 1;

    /// <summary>What the ranking uses, as written in <c>leaderboard.json</c>.</summary>
    public const string RankedBy = "cv_macro_f1";

    /// <summary>Ranks <paramref name="entries"/>; names must be distinct, every figure finite, at least one fold each.</summary>
    /// <exception cref="ArgumentException">There are no entries, or one of them is invalid; the message says which.</exception>
    public Leaderboard(IEnumerable<LeaderboardEntry> entries, string cvSplit = "bal_train", string evalSplit = "eval")
    {
        ArgumentNullException.ThrowIfNull(entries);
        var list = entries.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("a leaderboard needs at least one entry", nameof(entries));
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in list)
        {
            Check(entry, nameof(entries));
            if (!names.Add(entry.Name))
            {
                throw new ArgumentException($"entry '{entry.Name}' is listed twice: names must be distinct", nameof(entries));
            }
        }

        Ranked = Ranking.Rank(list, e => e.Name, e => e.CvMacroF1PerFold);
        CvSplit = cvSplit;
        EvalSplit = evalSplit;
    }

    /// <summary>Entries, best first.</summary>
    public IReadOnlyList<LeaderboardEntry> Ranked { get; }

    /// <summary>The chosen model: the first of <see cref="Ranked"/>.</summary>
    public LeaderboardEntry Chosen => Ranked[0];

    /// <summary>The split cross-validated on, which the ranking uses.</summary>
    public string CvSplit { get; }

    /// <summary>The held-out split of the eval figures.</summary>
    public string EvalSplit { get; }

    /// <summary>The comparison's time budget, or null when it had none (<c>custom train --budget</c>).</summary>
    public TimeSpan? Budget { get; init; }

    /// <summary>Candidates the budget left unranked, with the reason; empty without a budget.</summary>
    public IReadOnlyList<SkippedCandidate> Skipped { get; init; } = [];

    private static void Check(LeaderboardEntry entry, string paramName)
    {
        ArgumentNullException.ThrowIfNull(entry);
        string what = $"entry '{entry.Name}'";
        if (entry.CvMacroF1PerFold is null || entry.CvMacroF1PerFold.Count == 0)
        {
            throw new ArgumentException($"{what} has no cross-validation folds", paramName);
        }

        if (entry.CvMacroF1PerFold.Any(x => !double.IsFinite(x)))
        {
            throw new ArgumentException($"{what} has a fold macro-F1 that is not a finite number", paramName);
        }

        double?[] eval = [entry.EvalAccuracy, entry.EvalMacroF1, entry.EvalBalancedAccuracy, entry.EvalWeightedF1, entry.EvalLogLoss];
        if (eval.Any(x => x is double v && !double.IsFinite(v)))
        {
            throw new ArgumentException($"{what} has an eval figure that is not a finite number", paramName);
        }

        if (!double.IsFinite(entry.TrainSeconds) || entry.TrainSeconds < 0)
        {
            throw new ArgumentException($"{what} has train seconds {entry.TrainSeconds}: expected a finite number ≥ 0", paramName);
        }
    }

    /// <summary>
    /// <c>leaderboard.json</c>: scores only, no timings, so equal scores give byte-identical files across runs.
    /// </summary>
    public string ToJson() => Text.Json(json =>
    {
        json.WriteStartObject();
        json.WriteNumber("schema_version", SchemaVersion);
        json.WriteString("ranked_by", RankedBy);
        json.WriteString("cv_split", CvSplit);
        json.WriteString("eval_split", EvalSplit);
        json.WriteBoolean("eval_used_for_selection", false);
        json.WriteString("chosen_name", Chosen.Name);
        json.WriteStartArray("entries");
        for (int i = 0; i < Ranked.Count; i++)
        {
            var e = Ranked[i];
            json.WriteStartObject();
            json.WriteNumber("rank", i + 1);
            json.WriteString("name", e.Name);
            json.WriteBoolean("chosen", i == 0);
            json.WriteString("trainer", e.Trainer);
            json.WriteString("features", e.Features);
            json.WriteBoolean("weighted", e.Weighted);
            json.WriteBoolean("offsets", e.Offsets);
            json.WriteNumber("cv_folds", e.CvFolds);
            json.WriteNumber("cv_repeats", e.CvRepeats);
            json.WriteNumber("cv_macro_f1_mean", e.CvMacroF1Mean);
            json.WriteNumber("cv_macro_f1_std", e.CvMacroF1Std);
            json.WriteStartArray("cv_macro_f1_per_fold");
            foreach (double fold in e.CvMacroF1PerFold)
            {
                json.WriteNumberValue(fold);
            }

            json.WriteEndArray();
            Text.WriteNumberOrNull(json, "eval_accuracy", e.EvalAccuracy);
            Text.WriteNumberOrNull(json, "eval_macro_f1", e.EvalMacroF1);
            Text.WriteNumberOrNull(json, "eval_balanced_accuracy", e.EvalBalancedAccuracy);
            Text.WriteNumberOrNull(json, "eval_weighted_f1", e.EvalWeightedF1);
            Text.WriteNumberOrNull(json, "eval_log_loss", e.EvalLogLoss);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        if (Budget is { } budget)
        {
            json.WriteNumber("budget_seconds", budget.TotalSeconds);
            json.WriteStartArray("skipped");
            foreach (var skipped in Skipped)
            {
                json.WriteStartObject();
                json.WriteString("name", skipped.Name);
                json.WriteString("reason", skipped.Reason);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
    });

    /// <summary><c>timings.json</c>: entry name → train seconds, in rank order. Differs from run to run.</summary>
    public string TimingsJson() => Text.Json(json =>
    {
        json.WriteStartObject();
        foreach (var e in Ranked)
        {
            json.WriteNumber(e.Name, e.TrainSeconds);
        }

        json.WriteEndObject();
    });

    /// <summary><c>leaderboard.md</c>: every figure, seconds included, with the chosen row marked.</summary>
    public string ToMarkdown()
    {
        var md = new StringBuilder();
        md.AppendLine("# Leaderboard").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Ranked by mean cross-validated macro-F1 on {Text.Cell(CvSplit)} (± is the sample standard deviation over folds{Repeated()}); " +
                      $"the first row is the chosen model. {Text.Cell(EvalSplit)} figures are shown for reference only and were not used to choose.");
        md.AppendLine();
        string ev = Text.Cell(EvalSplit);
        md.AppendLine(CultureInfo.InvariantCulture, $"| rank | candidate | trainer | features | weighted | offsets | CV macro-F1 | CV macro-F1 per fold | {ev} accuracy | {ev} macro-F1 | " +
                      $"{ev} balanced accuracy | {ev} weighted F1 | {ev} log-loss | train s |");
        md.AppendLine("|---:|---|---|---|---|---|---:|---|---:|---:|---:|---:|---:|---:|");
        for (int i = 0; i < Ranked.Count; i++)
        {
            var e = Ranked[i];
            string rank = i == 0 ? "1 (chosen)" : Invariant($"{i + 1}");
            string name = i == 0 ? $"**{Text.Cell(e.Name)}**" : Text.Cell(e.Name);
            string folds = string.Join(", ", e.CvMacroF1PerFold.Select(Text.Figure));
            md.AppendLine(Invariant($"| {rank} | {name} | {Text.Cell(e.Trainer)} | {Text.Cell(e.Features)} | {(e.Weighted ? "yes" : "no")} | {(e.Offsets ? "yes" : "no")} | ") +
                          Invariant($"{Text.Figure(e.CvMacroF1Mean)} ± {Text.Figure(e.CvMacroF1Std)} | {folds} | {Text.Figure(e.EvalAccuracy)} | ") +
                          Invariant($"{Text.Figure(e.EvalMacroF1)} | {Text.Figure(e.EvalBalancedAccuracy)} | {Text.Figure(e.EvalWeightedF1)} | ") +
                          Invariant($"{Text.Figure(e.EvalLogLoss)} | {e.TrainSeconds:0.0} |"));
        }

        if (Budget is { } budget)
        {
            md.AppendLine();
            md.AppendLine(Invariant($"Budget {budget.TotalSeconds:0} s: {Ranked.Count} candidates ranked, {Skipped.Count} left out. Only the chosen one was fit on the whole of ") +
                          $"{Text.Cell(CvSplit)} and scored on {Text.Cell(EvalSplit)}; which candidates fit in a budget depends on the machine's speed, their figures do not.");
            if (Skipped.Count > 0)
            {
                md.AppendLine();
                md.AppendLine("| left out | why |");
                md.AppendLine("|---|---|");
                foreach (var skipped in Skipped)
                {
                    md.AppendLine(CultureInfo.InvariantCulture, $"| {Text.Cell(skipped.Name)} | {Text.Cell(skipped.Reason)} |");
                }
            }
        }

        return md.ToString();
    }

    private string Repeated() =>
        Ranked.Count > 0 && Ranked[0].CvRepeats > 1 ? Invariant($", {Ranked[0].CvRepeats} repeats of {Ranked[0].CvFolds} folds") : "";

    /// <summary>Writes <c>leaderboard.json</c>, <c>timings.json</c> and <c>leaderboard.md</c> into <paramref name="folder"/>, each atomically.</summary>
    public void Save(string folder)
    {
        AtomicFile.WriteAllText(Path.Combine(folder, "leaderboard.json"), ToJson());
        AtomicFile.WriteAllText(Path.Combine(folder, "timings.json"), TimingsJson());
        AtomicFile.WriteAllText(Path.Combine(folder, "leaderboard.md"), ToMarkdown());
    }
}
