using System.Runtime.ExceptionServices;
using Custom.Data;
using Custom.Data.Ingest;
using Custom.Data.Selection;
using Custom.Evaluation;
using Custom.Training.Features;
using Custom.Training.Trainers;
using Custom.Training.Validation;

namespace Custom.Training;

/// <summary>
/// Compares candidates without peeking at the evaluation split: stratified k-fold cross-validation on the training
/// clips (optionally repeated with other fold assignments) ranks them by mean macro-F1; each is then fit on all
/// training clips and scored on eval for the leaderboard, but the choice is already made.
/// </summary>
public static class TrainingSession
{
    /// <summary>Runs the comparison. Bad input (no clips, a class with fewer clips than folds) is an
    /// <see cref="InvalidInputException"/>.</summary>
    public static TrainingResult Run(ClassSet classes, IReadOnlyList<LabeledClip> train, IReadOnlyList<LabeledClip>? eval, TrainingOptions options)
    {
        if (options.OpenSet)
        {
            throw new ArgumentException("open-set mode needs the none-clips: run OpenSet.OpenSetSession (TrainingPipeline does)", nameof(options));
        }

        Validate(classes, train, options);
        if (options.Budget is { } budget)
        {
            return BudgetedSession.Run(classes, train, eval, options, budget, TimeProvider.System);
        }

        var labels = train.Select(c => c.Label).ToArray();
        var folds = FoldRows.Deal(labels, options.Folds, options.Repeats, options.Seed);
        var kinds = options.Candidates.Select(c => c.Features).Distinct().ToList();
        var trainTables = kinds.ToDictionary(k => k, k => Table(k, train, classes.Count));
        var evalTables = eval is null ? null : kinds.ToDictionary(k => k, k => Table(k, eval, classes.Count));
        var evalTruth = eval?.Select(c => c.Label).ToArray();

        // Candidates that differ only in offsets share their fits: each model is fit once. Every fit (each fold's and
        // the final one) is its own work item, so the workers stay busy to the end, and the costliest candidates go
        // first, so the items left at the end are short. Each fit has its own MLContext and seed: the schedule never
        // changes a figure.
        var runs = options.Candidates.GroupBy(c => c.Base)
            .Select(g => new CandidateRun(g.Key, g.ToList(), trainTables[g.Key.Features], evalTables?[g.Key.Features], evalTruth, folds, options.Seed))
            .ToList();
        var work = runs.OrderByDescending(r => r.Candidate.Trainer.RelativeCost * r.Table.Dimension)
            .SelectMany(r => Enumerable.Range(0, folds.Splits + 1).Select(step => (Run: r, Step: step)))
            .ToList();
        var queue = new FitQueue<(CandidateRun Run, int Step)>(work, item => item.Run.Candidate.Trainer.OneFitPerProcess);
        int done = 0;
        var scored = new IReadOnlyList<CandidateResult>[runs.Count];
        try
        {
            queue.Run(options.Parallelism, item =>
            {
                options.Progress?.Report(new TrainingProgress(Volatile.Read(ref done), work.Count, item.Run.Candidate.Name, item.Step + 1, folds.Splits + 1));
                item.Run.Fit(item.Step);
                Interlocked.Increment(ref done);
            });
            Parallel.For(0, runs.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Parallelism) }, i => scored[i] = runs[i].Score(classes));
        }
        catch (AggregateException e)
        {
            ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }

        var ranked = Ranking.Rank(scored.SelectMany(r => r), r => r.Candidate.Name, r => r.FoldMacroF1);
        return new TrainingResult(classes, ranked, options, train.Count, evalTruth);
    }

    internal static FeatureTable Table(FeatureKind kind, IReadOnlyList<LabeledClip> clips, int classCount) =>
        new(clips.Select(c => Featurizer.Compute(kind, c.Clip.Frames.Span)).ToArray(), clips.Select(c => c.Label).ToArray(), classCount);

    internal static void Validate(ClassSet classes, IReadOnlyList<LabeledClip> train, TrainingOptions options)
    {
        if (options.Folds < 2)
        {
            throw new InvalidInputException($"--folds must be at least 2, not {options.Folds}");
        }

        if (options.Budget is { } budget && budget <= TimeSpan.Zero)
        {
            throw new InvalidInputException($"--budget must be more than 0, not {budget}");
        }

        if (options.Repeats < 1)
        {
            throw new InvalidInputException($"--repeats must be at least 1, not {options.Repeats}");
        }

        if (options.Candidates.Count == 0)
        {
            throw new InvalidInputException("no candidates to compare: name at least one trainer and one feature kind");
        }

        if (train.Count == 0)
        {
            throw new InvalidInputException("no clips selected in the training data: check --data, --classes and --policy");
        }

        var counts = new int[classes.Count];
        foreach (var clip in train)
        {
            counts[clip.Label]++;
        }

        for (int c = 0; c < counts.Length; c++)
        {
            if (counts[c] < options.Folds)
            {
                throw new InvalidInputException(
                    $"class '{classes[c].Name}' has {counts[c]} clips in the training data, fewer than the {options.Folds} folds: choose fewer --folds or drop the class");
            }
        }
    }
}
