using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Custom.Data;
using Custom.Data.Ingest;
using Custom.Data.Selection;
using Custom.Evaluation;
using Custom.Training.Features;
using Custom.Training.Offsets;
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

        // Candidates that differ only in offsets share their fits: each model is fit once.
        var fits = options.Candidates.GroupBy(c => c.Base).Select(g => (Base: g.Key, Variants: g.ToList())).ToList();
        var perFit = new IReadOnlyList<CandidateResult>[fits.Count];
        int done = 0;
        try
        {
            Parallel.For(0, fits.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Parallelism) }, i =>
            {
                var (candidate, variants) = fits[i];
                perFit[i] = RunCandidate(candidate, variants, trainTables[candidate.Features], evalTables?[candidate.Features], evalTruth, folds, classes, options,
                    step => options.Progress?.Report(new TrainingProgress(Volatile.Read(ref done), fits.Count, candidate.Name, step, options.Folds + 1)));
                Interlocked.Increment(ref done);
            });
        }
        catch (AggregateException e)
        {
            ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }

        var results = perFit.SelectMany(r => r);
        var ranked = results
            .OrderByDescending(r => r.CvMacroF1Mean)
            .ThenBy(r => r.Candidate.Name, StringComparer.Ordinal)
            .ToList();
        return new TrainingResult(classes, ranked, options, train.Count, evalTruth);
    }

    private static IReadOnlyList<CandidateResult> RunCandidate(Candidate candidate, IReadOnlyList<Candidate> variants, FeatureTable table, FeatureTable? evalTable, int[]? evalTruth, int[] folds, ClassSet classes, TrainingOptions options, Action<int> report)
    {
        var watch = Stopwatch.StartNew();
        var heldOutRows = Enumerable.Range(0, options.Folds).Select(fold => Rows(folds, f => f == fold)).ToArray();
        var trainingRows = Enumerable.Range(0, options.Folds).Select(fold => Rows(folds, f => f != fold)).ToArray();
        var outOfFold = new float[table.Count][];
        for (int fold = 0; fold < options.Folds; fold++)
        {
            report(fold + 1);
            var heldOut = heldOutRows[fold];
            var model = CandidateFit.Fit(candidate, table, trainingRows[fold], options.Seed);
            var probabilities = CandidateFit.Predict(model, candidate, table, heldOut, options.Seed);
            for (int i = 0; i < heldOut.Length; i++)
            {
                outOfFold[heldOut[i]] = probabilities[i];
            }
        }

        report(options.Folds + 1);
        var final = CandidateFit.Fit(candidate, table, Enumerable.Range(0, table.Count).ToArray(), options.Seed);
        var evalProbabilities = evalTable is null || evalTruth is null
            ? null
            : CandidateFit.Predict(final, candidate, evalTable, Enumerable.Range(0, evalTable.Count).ToArray(), options.Seed);
        double seconds = watch.Elapsed.TotalSeconds;

        var results = new List<CandidateResult>();
        foreach (var variant in variants)
        {
            // Offsets are tuned on the other folds' out-of-fold predictions and scored on the held-out fold, so the
            // cross-validated figure of an offsets variant never scores a fold with offsets tuned on that fold.
            var foldScores = new double[options.Folds];
            for (int fold = 0; fold < options.Folds; fold++)
            {
                var heldOut = heldOutRows[fold];
                var probabilities = heldOut.Select(i => outOfFold[i]).ToArray();
                if (variant.Offsets)
                {
                    var others = trainingRows[fold];
                    var weights = ClassOffsets.Tune(others.Select(i => outOfFold[i]).ToArray(), others.Select(i => table.Labels[i]).ToArray(), classes.Count);
                    probabilities = ClassOffsets.Applied(probabilities, weights);
                }

                foldScores[fold] = MulticlassMetrics.Compute(classes, heldOut.Select(i => table.Labels[i]).ToArray(), probabilities).MacroF1;
            }

            var finalWeights = variant.Offsets ? ClassOffsets.Tune(outOfFold, table.Labels.ToArray(), classes.Count) : null;
            var variantEval = evalProbabilities is null || finalWeights is null ? evalProbabilities : ClassOffsets.Applied(evalProbabilities, finalWeights);
            var evalMetrics = variantEval is null ? null : MulticlassMetrics.Compute(classes, evalTruth!, variantEval);
            results.Add(new CandidateResult(variant, foldScores, evalMetrics, variantEval, seconds, final, finalWeights));
        }

        return results;
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
