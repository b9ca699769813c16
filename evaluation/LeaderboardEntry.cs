namespace Custom.Evaluation;

/// <summary>
/// One candidate model: its cross-validated macro-F1 per fold on the training split (what ranking uses), its figures
/// on the held-out split (reported, never used to choose; null when not computed) and its training time.
/// </summary>
public sealed record LeaderboardEntry
{
    /// <summary>Unique display name, e.g. <c>LbfgsMaximumEntropy+weighted / stats</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The trainer's name.</summary>
    public required string Trainer { get; init; }

    /// <summary>The feature set's name.</summary>
    public required string Features { get; init; }

    /// <summary>Whether training examples were weighted by class.</summary>
    public bool Weighted { get; init; }

    /// <summary>Whether class offsets tuned on out-of-fold predictions shift the model's probabilities.</summary>
    public bool Offsets { get; init; }

    /// <summary>Macro-F1 of each cross-validation fold, in fold order (repeat by repeat when repeated).</summary>
    public required IReadOnlyList<double> CvMacroF1PerFold { get; init; }

    /// <summary>Cross-validation repeats behind <see cref="CvMacroF1PerFold"/>, each with its own fold assignment.</summary>
    public int CvRepeats { get; init; } = 1;

    /// <summary>Folds per repeat: <see cref="CvMacroF1PerFold"/> holds <see cref="CvRepeats"/> × this many figures.</summary>
    public int CvFolds => CvMacroF1PerFold.Count / Math.Max(1, CvRepeats);

    /// <summary>Mean of <see cref="CvMacroF1PerFold"/> (<see cref="Ranking.Mean"/>).</summary>
    public double CvMacroF1Mean => Ranking.Mean(CvMacroF1PerFold);

    /// <summary>Sample standard deviation (n − 1) of <see cref="CvMacroF1PerFold"/>; 0 for a single fold (<see cref="Ranking.SampleStd"/>).</summary>
    public double CvMacroF1Std => Ranking.SampleStd(CvMacroF1PerFold);

    /// <summary>Accuracy on the held-out split.</summary>
    public double? EvalAccuracy { get; init; }

    /// <summary>Macro-F1 on the held-out split.</summary>
    public double? EvalMacroF1 { get; init; }

    /// <summary>Balanced accuracy on the held-out split.</summary>
    public double? EvalBalancedAccuracy { get; init; }

    /// <summary>Weighted F1 on the held-out split.</summary>
    public double? EvalWeightedF1 { get; init; }

    /// <summary>Log-loss on the held-out split.</summary>
    public double? EvalLogLoss { get; init; }

    /// <summary>Wall-clock seconds spent training (cross-validation and final fit, as the caller measures it).</summary>
    public double TrainSeconds { get; init; }

    /// <summary>A copy with the held-out figures taken from <paramref name="eval"/>.</summary>
    public LeaderboardEntry WithEval(MulticlassMetrics eval) => this with
    {
        EvalAccuracy = eval.Accuracy,
        EvalMacroF1 = eval.MacroF1,
        EvalBalancedAccuracy = eval.BalancedAccuracy,
        EvalWeightedF1 = eval.WeightedF1,
        EvalLogLoss = eval.ReportedLogLoss,
    };
}
