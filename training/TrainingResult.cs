using Custom.Data;
using Custom.Data.Selection;
using Custom.Evaluation;
using Custom.Training.Features;
using Custom.Training.Offsets;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Custom.Training;

/// <summary>The ranked candidates of a run; the first is the chosen model.</summary>
public sealed class TrainingResult
{
    internal TrainingResult(ClassSet classes, IReadOnlyList<CandidateResult> ranked, TrainingOptions options, int trainClips, IReadOnlyList<int>? evalTruth, BudgetOutcome? budget = null)
    {
        Budget = budget;
        Classes = classes;
        Ranked = ranked;
        Options = options;
        TrainClips = trainClips;
        EvalTruth = evalTruth;
    }

    /// <summary>The classes, in label order.</summary>
    public ClassSet Classes { get; }

    /// <summary>Candidates by mean cross-validated macro-F1, best first (ties by name).</summary>
    public IReadOnlyList<CandidateResult> Ranked { get; }

    /// <summary>The winner: best mean cross-validated macro-F1 on the training split.</summary>
    public CandidateResult Chosen => Ranked[0];

    /// <summary>The options of the run.</summary>
    public TrainingOptions Options { get; }

    /// <summary>Clips trained on.</summary>
    public int TrainClips { get; }

    /// <summary>The evaluation clips' labels, or null when no evaluation split was given.</summary>
    public IReadOnlyList<int>? EvalTruth { get; }

    /// <summary>How the budget was spent and what it left out, or null for a run without a budget.</summary>
    public BudgetOutcome? Budget { get; }

    /// <summary>For an open-set run (<see cref="OpenSet.OpenSetSession"/>), its calibration and closed figures; else null.</summary>
    public OpenSet.OpenSetResult? OpenSet { get; internal init; }

    /// <summary>The ranking as a <see cref="Leaderboard"/> (the same order: <see cref="Ranking"/>).</summary>
    /// <param name="cvSplit">The split cross-validated on.</param>
    /// <param name="evalSplit">The split of the eval figures.</param>
    /// <returns>One entry per candidate.</returns>
    public Leaderboard ToLeaderboard(string cvSplit, string evalSplit) =>
        new(Ranked.Select(r =>
        {
            var entry = new LeaderboardEntry
            {
                Name = r.Candidate.Name,
                Trainer = r.Candidate.Trainer.Name,
                Features = r.Candidate.Features.ToName(),
                Weighted = r.Candidate.Weighted,
                Offsets = r.Candidate.Offsets,
                CvMacroF1PerFold = r.FoldMacroF1,
                CvRepeats = Options.Repeats,
                TrainSeconds = r.TrainSeconds,
            };
            return r.Eval is null ? entry : entry.WithEval(r.Eval);
        }), cvSplit, evalSplit)
        {
            Budget = Budget?.Budget,
            Skipped = Budget?.Skipped ?? [],
        };

    /// <summary>
    /// Saves the chosen model as <c>model.zip</c>: featurizer, normalization and trainer, from <see cref="FrameInput"/>
    /// to a <c>Score</c> column of class scores in label order. Written atomically.
    /// </summary>
    public void SaveModel(string path)
    {
        var ml = new MLContext(Options.Seed);
        SavedModel.Register(ml);
        var raw = ml.Data.LoadFromEnumerable(Array.Empty<FrameInput>());
        var featurizer = FeaturizerMapping.Estimator(ml, Chosen.Candidate.Features).Fit(raw);
        var parts = new List<ITransformer> { featurizer, Chosen.FinalModel };
        if (Chosen.ClassWeights is { } weights)
        {
            parts.Add(ClassOffsetsMapping.Fit(ml, Chosen.FinalModel.Transform(featurizer.Transform(raw)), weights.ToArray()));
        }

        var pipeline = new TransformerChain<ITransformer>(parts.ToArray());
        AtomicFile.Write(path, stream => ml.Model.Save(pipeline, raw.Schema, stream));
    }
}
