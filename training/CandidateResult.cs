using Custom.Evaluation;
using Custom.Training.Trainers;
using Microsoft.ML;

namespace Custom.Training;

/// <summary>How one candidate did: per-fold cross-validated macro-F1 on the training split, and the eval figures
/// of its fit on the whole training split (reported, never used to choose).</summary>
public sealed class CandidateResult
{
    private readonly ITransformer? _finalModel;

    internal CandidateResult(Candidate candidate, IReadOnlyList<double> foldMacroF1, MulticlassMetrics? eval, float[][]? evalProbabilities, double trainSeconds, ITransformer? finalModel, float[]? classWeights = null)
    {
        Candidate = candidate;
        FoldMacroF1 = foldMacroF1;
        Eval = eval;
        EvalProbabilities = evalProbabilities;
        TrainSeconds = trainSeconds;
        _finalModel = finalModel;
        ClassWeights = classWeights;
    }

    /// <summary>The candidate.</summary>
    public Candidate Candidate { get; }

    /// <summary>Macro-F1 on each held-out fold.</summary>
    public IReadOnlyList<double> FoldMacroF1 { get; }

    /// <summary>Mean of <see cref="FoldMacroF1"/>: the ranking figure (<see cref="Ranking.Mean"/>).</summary>
    public double CvMacroF1Mean => Ranking.Mean(FoldMacroF1);

    /// <summary>Sample standard deviation of <see cref="FoldMacroF1"/> (<see cref="Ranking.SampleStd"/>).</summary>
    public double CvMacroF1Std => Ranking.SampleStd(FoldMacroF1);

    /// <summary>Figures on the evaluation split, or null when none was given.</summary>
    public MulticlassMetrics? Eval { get; }

    /// <summary>Class probabilities for each evaluation clip, or null.</summary>
    public IReadOnlyList<float[]>? EvalProbabilities { get; }

    /// <summary>Wall-clock seconds for all folds and the final fit (not reproducible; kept out of score files).</summary>
    public double TrainSeconds { get; }

    /// <summary>The fit on the whole training split, from features to scores. A budgeted run fits only the chosen
    /// candidate on the whole split (<see cref="HasFinalModel"/>).</summary>
    internal ITransformer FinalModel => _finalModel ?? throw new InvalidOperationException($"{Candidate.Name} has no final fit: a budgeted run fits only the chosen candidate");

    /// <summary>Whether the candidate was fit on the whole training split (and scored on eval, when given).</summary>
    internal bool HasFinalModel => _finalModel is not null;

    /// <summary>
    /// For an offsets candidate, the tuned multipliers e^δ (class order) applied to the final model's probabilities;
    /// otherwise null.
    /// </summary>
    public IReadOnlyList<float>? ClassWeights { get; }
}
