using System.Diagnostics;
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
/// clips ranks them by mean macro-F1; each is then fit on all training clips and scored on eval for the leaderboard,
/// but the choice is already made.
/// </summary>
public static class TrainingSession
{
    /// <summary>Runs the comparison. Bad input (no clips, a class with fewer clips than folds) is an
    /// <see cref="InvalidInputException"/>.</summary>
    public static TrainingResult Run(ClassSet classes, IReadOnlyList<LabeledClip> train, IReadOnlyList<LabeledClip>? eval, TrainingOptions options)
    {
        Validate(classes, train, options);
        var labels = train.Select(c => c.Label).ToArray();
        var folds = StratifiedFolds.Assign(labels, options.Folds, options.Seed);
        var kinds = options.Candidates.Select(c => c.Features).Distinct().ToList();
        var trainTables = kinds.ToDictionary(k => k, k => Table(k, train, classes.Count));
        var evalTables = eval is null ? null : kinds.ToDictionary(k => k, k => Table(k, eval, classes.Count));
        var evalTruth = eval?.Select(c => c.Label).ToArray();

        var results = new CandidateResult[options.Candidates.Count];
        int done = 0;
        try
        {
            Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Parallelism) }, i =>
            {
                var candidate = options.Candidates[i];
                results[i] = RunCandidate(candidate, trainTables[candidate.Features], evalTables?[candidate.Features], evalTruth, folds, classes, options,
                    step => options.Progress?.Report(new TrainingProgress(Volatile.Read(ref done), results.Length, candidate.Name, step, options.Folds + 1)));
                Interlocked.Increment(ref done);
            });
        }
        catch (AggregateException e)
        {
            ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }

        var ranked = results
            .OrderByDescending(r => r.CvMacroF1Mean)
            .ThenBy(r => r.Candidate.Name, StringComparer.Ordinal)
            .ToList();
        return new TrainingResult(classes, ranked, options, train.Count, evalTruth);
    }

    private static CandidateResult RunCandidate(Candidate candidate, FeatureTable table, FeatureTable? evalTable, int[]? evalTruth, int[] folds, ClassSet classes, TrainingOptions options, Action<int> report)
    {
        var watch = Stopwatch.StartNew();
        var foldScores = new double[options.Folds];
        for (int fold = 0; fold < options.Folds; fold++)
        {
            report(fold + 1);
            var trainRows = Rows(folds, f => f != fold);
            var heldOut = Rows(folds, f => f == fold);
            var model = CandidateFit.Fit(candidate, table, trainRows, options.Seed);
            var probabilities = CandidateFit.Predict(model, candidate, table, heldOut, options.Seed);
            foldScores[fold] = MulticlassMetrics.Compute(classes, heldOut.Select(i => table.Labels[i]).ToArray(), probabilities).MacroF1;
        }

        report(options.Folds + 1);
        var final = CandidateFit.Fit(candidate, table, Enumerable.Range(0, table.Count).ToArray(), options.Seed);
        MulticlassMetrics? evalMetrics = null;
        float[][]? evalProbabilities = null;
        if (evalTable is not null && evalTruth is not null)
        {
            evalProbabilities = CandidateFit.Predict(final, candidate, evalTable, Enumerable.Range(0, evalTable.Count).ToArray(), options.Seed);
            evalMetrics = MulticlassMetrics.Compute(classes, evalTruth, evalProbabilities);
        }

        return new CandidateResult(candidate, foldScores, evalMetrics, evalProbabilities, watch.Elapsed.TotalSeconds, final);
    }

    private static int[] Rows(int[] folds, Func<int, bool> keep) =>
        Enumerable.Range(0, folds.Length).Where(i => keep(folds[i])).ToArray();

    private static FeatureTable Table(FeatureKind kind, IReadOnlyList<LabeledClip> clips, int classCount) =>
        new(clips.Select(c => Featurizer.Compute(kind, c.Clip.Frames.Span)).ToArray(), clips.Select(c => c.Label).ToArray(), classCount);

    private static void Validate(ClassSet classes, IReadOnlyList<LabeledClip> train, TrainingOptions options)
    {
        if (options.Folds < 2)
        {
            throw new InvalidInputException($"--folds must be at least 2, not {options.Folds}");
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
