using System.Diagnostics;
using System.Runtime;
using System.Runtime.ExceptionServices;
using Custom.Data;
using Custom.Data.Ingest;
using Custom.Data.Selection;
using Custom.Evaluation;
using Custom.Training.Features;
using Custom.Training.Trainers;

namespace Custom.Training.Validation;

/// <summary>
/// The comparison of <see cref="TrainingSession"/> within a time budget: the cross-validation fits run on the
/// workers as <see cref="BudgetScheduler"/> hands them out, each candidate's folds are scored as soon as they are
/// done, and only the winner by cross-validation is fit on every training clip and scored on eval. Feature tables are
/// computed for a kind when its first candidate starts, so kinds whose candidates never start cost no memory.
/// </summary>
internal static class BudgetedSession
{
    public static TrainingResult Run(ClassSet classes, IReadOnlyList<LabeledClip> train, IReadOnlyList<LabeledClip>? eval, TrainingOptions options, TimeSpan budget, TimeProvider clock)
    {
        long started = clock.GetTimestamp();
        var folds = FoldRows.Deal(train.Select(c => c.Label).ToArray(), options.Folds, options.Repeats, options.Seed);
        var evalTruth = eval?.Select(c => c.Label).ToArray();
        var costs = new FitCostModel(FitCostModel.CatalogPrior);

        // Candidates that differ only in offsets share their fits, as in the unbudgeted comparison; the cheapest go
        // first, so that the estimates are calibrated on short fits and as many candidates as possible complete.
        var variants = options.Candidates.GroupBy(c => c.Base).ToDictionary(g => g.Key, g => (IReadOnlyList<Candidate>)g.ToList());
        var stepRows = folds.Training.Select(rows => rows.Length).ToArray();
        var units = variants.Keys
            .Select(c => new BudgetUnit(c, stepRows, train.Count, c.Trainer.OneFitPerProcess))
            .OrderBy(u => costs.Predict(u.Candidate, u.AllRows))
            .ToList();
        var scheduler = new BudgetScheduler(budget, clock, costs, units, options.Parallelism);

        var tables = new Dictionary<FeatureKind, (FeatureTable Train, FeatureTable? Eval)>();
        var runs = new Dictionary<BudgetUnit, CandidateRun>();
        var gate = new object();
        bool failed = false;
        int done = 0;

        CandidateRun RunOf(BudgetUnit unit)
        {
            if (!runs.TryGetValue(unit, out var run))
            {
                var kind = unit.Candidate.Features;
                if (!tables.TryGetValue(kind, out var table))
                {
                    table = (TrainingSession.Table(kind, train, classes.Count), eval is null ? null : TrainingSession.Table(kind, eval, classes.Count));
                    tables[kind] = table;
                }

                run = new CandidateRun(unit.Candidate, variants[unit.Candidate], table.Train, table.Eval, evalTruth, folds, options.Seed);
                runs[unit] = run;
            }

            return run;
        }

        void Work()
        {
            while (true)
            {
                BudgetUnit unit;
                int step;
                CandidateRun run;
                TrainingProgress progress;
                lock (gate)
                {
                    (BudgetUnit Unit, int Step)? next;
                    while ((next = failed ? null : scheduler.Next()) is null)
                    {
                        if (failed || !scheduler.Busy)
                        {
                            return;
                        }

                        Monitor.Wait(gate);
                    }

                    (unit, step) = next.Value;
                    run = RunOf(unit);
                    progress = new TrainingProgress(done, scheduler.PlannedFits + 1, unit.Candidate.Name, step + 1, folds.Splits + 1);
                }

                options.Progress?.Report(progress);
                var watch = Stopwatch.StartNew();
                bool measured;
                try
                {
                    run.Fit(step);
                }
                catch
                {
                    lock (gate)
                    {
                        failed = true;
                        Monitor.PulseAll(gate);
                    }

                    throw;
                }

                lock (gate)
                {
                    scheduler.Finished(unit, step, watch.Elapsed.TotalSeconds);
                    done++;
                    measured = unit.State == BudgetState.Measured;
                    Monitor.PulseAll(gate);
                }

                // Every fold of this candidate is done, so no other worker touches its run.
                if (measured)
                {
                    run.ScoreFolds(classes);
                    ReleaseGarbage();
                }
            }
        }

        int workers = Math.Max(1, options.Parallelism);
        try
        {
            Parallel.Invoke(new ParallelOptions { MaxDegreeOfParallelism = workers }, Enumerable.Repeat((Action)Work, workers).ToArray());
        }
        catch (AggregateException e)
        {
            ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }

        var complete = units.Where(u => u.State == BudgetState.Measured).ToList();
        if (complete.Count == 0)
        {
            var cheapest = units[0];
            throw new InvalidInputException(
                $"--budget {BudgetScheduler.Duration(budget.TotalSeconds)} is too small for any candidate: the cheapest, {cheapest.Candidate.Name}, was {cheapest.Reason}");
        }

        // The choice is made on cross-validation alone; then the winner alone is fit on every training clip.
        var crossValidated = complete.SelectMany(u => runs[u].Score(classes));
        var winner = Ranking.Rank(crossValidated, r => r.Candidate.Name, r => r.FoldMacroF1)[0].Candidate.Base;
        var winnerRun = runs[complete.Single(u => u.Candidate == winner)];
        options.Progress?.Report(new TrainingProgress(done, done + 1, winner.Name, folds.Splits + 1, folds.Splits + 1));
        winnerRun.Fit(folds.Splits);

        var ranked = Ranking.Rank(complete.SelectMany(u => runs[u].Score(classes)), r => r.Candidate.Name, r => r.FoldMacroF1);
        var skipped = units.Where(u => u.State is BudgetState.Skipped or BudgetState.Abandoned)
            .SelectMany(u => variants[u.Candidate].Select(v => new SkippedCandidate(v.Name, u.Reason!)))
            .ToList();
        return new TrainingResult(classes, ranked, options, train.Count, evalTruth, new BudgetOutcome(budget, clock.GetElapsedTime(started), skipped));
    }

    // Each fit leaves large arrays behind (ML.NET's cached rows: rows × dimension floats, and the trainers' own copies),
    // which on a large split the collector kept adding room for as candidates went by, so the resident set grew with
    // time. One compacting, memory-returning collection when a candidate is done holds it to the data in use: a
    // fraction of a second against fits of minutes.
    private static void ReleaseGarbage()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }
}
