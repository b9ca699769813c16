using System.Runtime.ExceptionServices;
using Custom.Data;
using Custom.Data.AudioSet;
using Custom.Data.Ingest;
using Custom.Data.Selection;
using Custom.Evaluation;
using Custom.Training.Features;
using Custom.Training.Trainers;
using Custom.Training.Validation;
using Microsoft.ML;

namespace Custom.Training.OpenSet;

/// <summary>
/// The open-set comparison: each candidate learns the K classes plus "other" from the selected clips and the
/// none-clips (clips carrying none of the classes) of the training split, and the readiness to answer "other" is
/// calibrated on its out-of-fold predictions (<see cref="OtherCalibration"/>) against the same candidate trained on
/// the selected clips only (its closed twin), whose folds hold out the very same selected clips. Candidates are ranked
/// by cross-validated (K+1)-class macro-F1, each fold scored with a calibration chosen on the other folds. The
/// evaluation split is scored on every clip, never used to choose.
/// </summary>
public static class OpenSetSession
{
    /// <summary>The class answered for a clip that carries none of the classes (<see cref="Custom.Inference.PackageContract.OtherClass"/>).</summary>
    public static SoundClass Other { get; } = new(-1, "", Custom.Inference.PackageContract.OtherClass);

    /// <summary>
    /// Candidates compared by default in open-set mode: the perceptron and the L-BFGS maximum-entropy model on mean
    /// features, unweighted (the perceptron balances classes itself, and inverse-frequency weights would make the many
    /// none-clips count for little), and the attention network on the frames, the default run's usual choice. Each is
    /// fit twice per fold (closed and with "other") on three times the rows; the tree families and stats features
    /// would cost several times more.
    /// </summary>
    public static IReadOnlyList<Candidate> DefaultCandidates { get; } =
    [
        .. Candidate.Grid([TrainerCatalog.Get("mlp"), TrainerCatalog.Get("lbfgs-maxent")], [FeatureKind.Mean], weightedVariants: false),
        .. Candidate.Grid([TrainerCatalog.Get("attention")], features: null),
    ];

    /// <summary>The classes followed by <see cref="Other"/>.</summary>
    public static ClassSet WithOther(ClassSet classes)
    {
        ArgumentNullException.ThrowIfNull(classes);
        return new ClassSet([.. classes, Other]);
    }

    /// <summary>
    /// Runs the open-set comparison. <paramref name="train"/> are the selected training clips, <paramref name="trainNone"/>
    /// the training clips carrying none of the classes, <paramref name="eval"/> every evaluation clip (or null).
    /// The result's classes end with "other"; its <see cref="TrainingResult.OpenSet"/> holds the calibration and the
    /// closed twins' figures. Candidates with offsets are refused: "other" has its own calibration.
    /// </summary>
    /// <exception cref="InvalidInputException">Bad options or data, as for <see cref="TrainingSession.Run"/>, or fewer
    /// none-clips than folds, or an <see cref="TrainingOptions.OpenSetMaxDrop"/> outside [0, 1).</exception>
    public static TrainingResult Run(ClassSet classes, IReadOnlyList<LabeledClip> train, IReadOnlyList<AudioSetClip> trainNone, IReadOnlyList<OpenSetClip>? eval, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(trainNone);
        TrainingSession.Validate(classes, train, options);
        if (!(options.OpenSetMaxDrop >= 0 && options.OpenSetMaxDrop < 1))
        {
            throw new InvalidInputException(FormattableString.Invariant($"open set: the drop allowed on the classes' own figures must be at least 0 and below 1, not {options.OpenSetMaxDrop}"));
        }

        if (trainNone.Count < options.Folds)
        {
            throw new InvalidInputException($"open set: {trainNone.Count} training clips carry none of the classes, fewer than the {options.Folds} folds");
        }

        if (options.Budget is not null)
        {
            throw new InvalidInputException("open set: a budgeted search is not offered (each candidate is fit twice on three times the rows); leave out --budget and name the candidates with --trainers");
        }

        if (options.Candidates.Any(c => c.Offsets))
        {
            throw new InvalidInputException("open set: offsets variants are not compared (the 'other' answer has its own calibration); leave out --offsets");
        }

        if (options.Candidates.FirstOrDefault(c => !c.Trainer.SupportsOffsets) is { } unsupported)
        {
            throw new InvalidInputException($"open set: {unsupported.Trainer.Name} does not score with probabilities, which the 'other' calibration needs: choose other --trainers");
        }

        var open = WithOther(classes);
        int known = classes.Count;
        var closedLabels = train.Select(c => c.Label).ToArray();
        var openLabels = closedLabels.Concat(Enumerable.Repeat(known, trainNone.Count)).ToArray();

        // The selected clips keep the closed assignment, so an open candidate and its closed twin hold out the same
        // selected clips in every fold; the none-clips are dealt over the folds as one more class.
        var openAssignments = new List<int[]>();
        for (int r = 0; r < options.Repeats; r++)
        {
            var closedFolds = StratifiedFolds.Assign(closedLabels, options.Folds, options.Seed + r);
            openAssignments.Add([.. closedFolds, .. StratifiedFolds.Assign(new int[trainNone.Count], options.Folds, options.Seed + r)]);
        }

        // The closed twin trains on the selected clips only, but predicts every held-out clip: its answers on the
        // none-clips are the classes they would be given.
        var openRows = new FoldRows(openAssignments, options.Folds);
        var closedRows = openRows.TrainingOn(i => i < train.Count);
        var closedTableLabels = closedLabels.Concat(new int[trainNone.Count]).ToArray();

        var kinds = options.Candidates.Select(c => c.Features).Distinct().ToList();
        var closedTables = new Dictionary<FeatureKind, FeatureTable>();
        var openTables = new Dictionary<FeatureKind, FeatureTable>();
        var closedEvalTables = new Dictionary<FeatureKind, FeatureTable>();
        var openEvalTables = new Dictionary<FeatureKind, FeatureTable>();
        foreach (var kind in kinds)
        {
            var selected = train.Select(c => Featurizer.Compute(kind, c.Clip.Frames.Span)).ToArray();
            var none = trainNone.Select(c => Featurizer.Compute(kind, c.Frames.Span)).ToArray();
            // Both tables hold every training clip; the closed one never trains on a none-clip, whose label there is a placeholder.
            closedTables[kind] = new FeatureTable([.. selected, .. none], closedTableLabels, known);
            openTables[kind] = new FeatureTable([.. selected, .. none], openLabels, known + 1);
            if (eval is not null)
            {
                // Only scored, never trained on: the labels the tables carry are placeholders.
                var features = eval.Select(c => Featurizer.Compute(kind, c.Clip.Frames.Span)).ToArray();
                closedEvalTables[kind] = new FeatureTable(features, new int[features.Length], known);
                openEvalTables[kind] = new FeatureTable(features, new int[features.Length], known + 1);
            }
        }

        int[]? placeholderTruth = eval is null ? null : new int[eval.Count];
        var pairs = options.Candidates.Distinct().Select(c => (
            Closed: new CandidateRun(c, [c], closedTables[c.Features], eval is null ? null : closedEvalTables[c.Features], placeholderTruth, closedRows, options.Seed),
            Open: new CandidateRun(c with { Trainer = c.Trainer.LearningOther }, [c], openTables[c.Features], eval is null ? null : openEvalTables[c.Features], placeholderTruth, openRows, options.Seed))).ToList();
        FitAll(pairs.SelectMany(p => new[] { p.Open, p.Closed }).ToList(), options);

        var evalPositions = eval?.Select(c => c.Positions).ToArray();
        var scored = pairs.Select(p => Score(p.Open, p.Closed, open, openLabels, evalPositions, options.OpenSetMaxDrop)).ToList();
        var ranked = Ranking.Rank(scored, s => s.Result.Candidate.Name, s => s.Result.FoldMacroF1);
        var result = new TrainingResult(open, ranked.Select(s => s.Result).ToList(), options, train.Count + trainNone.Count, null)
        {
            OpenSet = new OpenSetResult(ranked.Select(s => s.Details).ToList(), trainNone.Count),
        };
        return result;
    }

    private static void FitAll(IReadOnlyList<CandidateRun> runs, TrainingOptions options)
    {
        int splits = runs[0].Rows.Splits;
        var work = runs.OrderByDescending(r => r.Candidate.Trainer.RelativeCost * r.Table.Dimension * r.Table.Count)
            .SelectMany(r => Enumerable.Range(0, splits + 1).Select(step => (Run: r, Step: step)))
            .ToList();
        var queue = new FitQueue<(CandidateRun Run, int Step)>(work, item => item.Run.Candidate.Trainer.OneFitPerProcess);
        int done = 0;
        try
        {
            queue.Run(options.Parallelism, item =>
            {
                string name = item.Run.Table.ClassCount > runs.Min(r => r.Table.ClassCount) ? item.Run.Candidate.Name + " (open set)" : item.Run.Candidate.Name + " (closed)";
                options.Progress?.Report(new TrainingProgress(Volatile.Read(ref done), work.Count, name, item.Step + 1, splits + 1));
                item.Run.Fit(item.Step);
                Interlocked.Increment(ref done);
            });
        }
        catch (AggregateException e)
        {
            ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }
    }

    private static (CandidateResult Result, OpenSetCandidate Details) Score(CandidateRun open, CandidateRun closed, ClassSet classes, int[] labels, IReadOnlyList<int>[]? evalPositions, double maxDrop)
    {
        int known = classes.Count - 1;
        var rows = open.Rows;
        var foldOpen = new double[rows.Splits];
        var foldKnown = new double[rows.Splits];
        var foldKnownAccuracy = new double[rows.Splits];
        var foldClosed = new double[rows.Splits];
        var foldClosedAccuracy = new double[rows.Splits];
        var foldWeights = new IReadOnlyList<float>[rows.Splits];
        var unit = OpenSetModel.Unit(known);
        for (int split = 0; split < rows.Splits; split++)
        {
            var openOof = open.OutOfFold[rows.RepeatOf(split)];
            var closedOof = closed.OutOfFold[rows.RepeatOf(split)];
            var tuning = rows.Training[split];
            var tuningSelected = tuning.Where(i => labels[i] < known).ToArray();
            var reference = OtherCalibration.Known(tuningSelected.Select(i => closedOof[i]).ToArray(), tuningSelected.Select(i => labels[i]).ToArray(), known);
            var multipliers = OtherCalibration.Tune(tuning.Select(i => OpenSetModel.Combine(closedOof[i], openOof[i], unit)).ToArray(), tuning.Select(i => labels[i]).ToArray(), reference, maxDrop);
            foldWeights[split] = multipliers;

            var heldOut = rows.HeldOut[split];
            var applied = heldOut.Select(i => OpenSetModel.Combine(closedOof[i], openOof[i], multipliers)).ToArray();
            var truth = heldOut.Select(i => labels[i]).ToArray();
            foldOpen[split] = MulticlassMetrics.Compute(classes, truth, applied).MacroF1;
            var selected = Enumerable.Range(0, heldOut.Length).Where(j => truth[j] < known).ToArray();
            var knownFigures = OtherCalibration.Known(selected.Select(j => applied[j]).ToArray(), selected.Select(j => truth[j]).ToArray(), known);
            var closedFigures = OtherCalibration.Known(selected.Select(j => closedOof[heldOut[j]]).ToArray(), selected.Select(j => truth[j]).ToArray(), known);
            (foldKnown[split], foldKnownAccuracy[split]) = (knownFigures.MacroF1, knownFigures.Accuracy);
            (foldClosed[split], foldClosedAccuracy[split]) = (closedFigures.MacroF1, closedFigures.Accuracy);
        }

        // The final calibration sees every repeat's out-of-fold predictions: each training clip once per repeat.
        var allOpen = open.OutOfFold.Zip(closed.OutOfFold).SelectMany(pair => OpenSetModel.Combine(pair.Second, pair.First, unit)).ToArray();
        var allTruth = Enumerable.Repeat(labels, rows.Repeats).SelectMany(l => l).ToArray();
        var selectedAll = Enumerable.Range(0, allTruth.Length).Where(i => allTruth[i] < known).ToArray();
        var closedAll = closed.OutOfFold.SelectMany(o => o).ToArray();
        var finalReference = OtherCalibration.Known(selectedAll.Select(i => closedAll[i % labels.Length]).ToArray(), selectedAll.Select(i => allTruth[i]).ToArray(), known);
        var finalMultipliers = OtherCalibration.Tune(allOpen, allTruth, finalReference, maxDrop);

        OpenSetMetrics? evalOpen = null, evalClosed = null;
        float[][]? evalProbabilities = null;
        if (evalPositions is not null && open.EvalProbabilities is { } openEval && closed.EvalProbabilities is { } closedEval)
        {
            evalProbabilities = OpenSetModel.Combine(closedEval, openEval, finalMultipliers);
            evalOpen = OpenSetMetrics.Compute(classes, evalPositions, evalProbabilities);
            evalClosed = OpenSetMetrics.Compute(classes, evalPositions, OpenSetMetrics.WithOtherColumn(closedEval));
        }

        var ml = new MLContext(seed: 0); // only column copies and fixed mappings are fitted: nothing random
        var model = OpenSetModel.Compose(ml, open.Table.View(ml, [0], classWeighted: false), closed.Final, open.Final, finalMultipliers);
        // Reported under the candidate as named: the open run may fit the trainer's variant that learns "other".
        var candidate = closed.Candidate;
        var result = new CandidateResult(candidate, foldOpen, evalOpen?.All, evalProbabilities, open.Seconds + closed.Seconds, model);
        var details = new OpenSetCandidate(candidate, finalMultipliers, foldWeights, foldOpen, foldKnown, foldKnownAccuracy, foldClosed, foldClosedAccuracy, evalOpen, evalClosed)
        {
            ClosedReference = finalReference,
            Curve = OtherCalibration.Curve(allOpen, allTruth),
            ClosedModel = closed.Final,
            OpenModel = open.Final,
        };
        return (result, details);
    }
}
