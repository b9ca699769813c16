using Custom.Evaluation;
using Custom.Training.Trainers;
using Microsoft.ML;

namespace Custom.Training.OpenSet;

/// <summary>What an open-set comparison found beyond the leaderboard: each candidate's calibration and its closed twin's figures.</summary>
public sealed class OpenSetResult
{
    internal OpenSetResult(IReadOnlyList<OpenSetCandidate> ranked, int noneClips)
    {
        Ranked = ranked;
        TrainNoneClips = noneClips;
    }

    /// <summary>The candidates in ranking order (that of <see cref="TrainingResult.Ranked"/>).</summary>
    public IReadOnlyList<OpenSetCandidate> Ranked { get; }

    /// <summary>The chosen candidate's details.</summary>
    public OpenSetCandidate Chosen => Ranked[0];

    /// <summary>Training clips carrying none of the classes, learned as "other".</summary>
    public int TrainNoneClips { get; }
}

/// <summary>
/// One open-set candidate: the multipliers on its "other" probability, one per class the closed model answers (chosen
/// on all out-of-fold predictions, and per fold on the other folds), its cross-validated figures per held-out fold, and its closed twin's on the same clips.
/// </summary>
/// <param name="Candidate">The candidate.</param>
/// <param name="OtherWeights">The final model's multipliers e^δ of its "other" probability, for each class (class-set
/// order) the closed model may answer.</param>
/// <param name="FoldOtherWeights">The multipliers chosen for each fold, on the other folds.</param>
/// <param name="FoldMacroF1">(K+1)-class macro-F1 on each held-out fold (selected and none-clips).</param>
/// <param name="FoldKnownMacroF1">K-class macro-F1 on each held-out fold's selected clips, "other" counting wrong.</param>
/// <param name="FoldKnownAccuracy">Accuracy on the same clips.</param>
/// <param name="FoldClosedMacroF1">The closed twin's macro-F1 on the same selected clips.</param>
/// <param name="FoldClosedAccuracy">The closed twin's accuracy on the same clips.</param>
/// <param name="Eval">Figures on every evaluation clip, or null.</param>
/// <param name="ClosedEval">The closed twin's figures on the same clips, or null.</param>
public sealed record OpenSetCandidate(
    Candidate Candidate,
    IReadOnlyList<float> OtherWeights,
    IReadOnlyList<IReadOnlyList<float>> FoldOtherWeights,
    IReadOnlyList<double> FoldMacroF1,
    IReadOnlyList<double> FoldKnownMacroF1,
    IReadOnlyList<double> FoldKnownAccuracy,
    IReadOnlyList<double> FoldClosedMacroF1,
    IReadOnlyList<double> FoldClosedAccuracy,
    OpenSetMetrics? Eval,
    OpenSetMetrics? ClosedEval)
{
    /// The closed twin's out-of-fold K-class figures on the selected training clips (the calibration's reference).
    internal OtherCalibration.KnownFigures ClosedReference { get; init; }

    /// The out-of-fold trade-off between answering "other" and keeping the K classes' figures, over a range of multipliers.
    internal IReadOnlyList<OtherCalibration.Point> Curve { get; init; } = [];

    /// The closed twin's fit on every selected training clip.
    internal ITransformer ClosedModel { get; init; } = null!;

    /// The fit with "other" on every training clip, whose probability of "other" the answer takes.
    internal ITransformer OpenModel { get; init; } = null!;

    /// <summary>The closed twin's headline figures on the evaluation clips, or null.</summary>
    public ClosedFigures? ClosedFigures => ClosedEval is null ? null : Custom.Evaluation.ClosedFigures.Of(Candidate.Name, ClosedEval);
}
