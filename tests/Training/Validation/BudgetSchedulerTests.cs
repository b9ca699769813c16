using Custom.Training.Features;
using Custom.Training.Trainers;
using Custom.Training.Validation;

namespace Custom.Tests.Training.Validation;

/// The scheduler's decisions on a fake clock: fits "run" for the seconds a test says, and the cost model's prior is
/// the test's own, so every decision is exact.
public sealed class BudgetSchedulerTests
{
    private static readonly Candidate Cheap = new(TrainerCatalog.Get("naive-bayes"), FeatureKind.Mean, false);
    private static readonly Candidate Linear = new(TrainerCatalog.Get("lbfgs-maxent"), FeatureKind.Mean, false);
    private static readonly Candidate Costly = new(TrainerCatalog.Get("mlp"), FeatureKind.Mean, false);
    private static readonly Candidate Boosted = new(TrainerCatalog.Get("lightgbm"), FeatureKind.Mean, false);
    private static readonly Candidate BoostedWeighted = new(TrainerCatalog.Get("lightgbm"), FeatureKind.Mean, true);

    /// 100 rows per fold fit, 125 for the final fit (5 folds).
    private static BudgetUnit Unit(Candidate candidate, int folds = 5) =>
        new(candidate, Enumerable.Repeat(100, folds).ToArray(), 125, candidate.Trainer.OneFitPerProcess);

    /// Seconds per row of each candidate's trainer, as the prior.
    private static FitCostModel Costs(Dictionary<Candidate, double> secondsPerRow) =>
        new(c => secondsPerRow.Single(p => p.Key.Trainer == c.Trainer).Value);

    [Fact]
    public void With_room_for_everything_every_fit_runs_in_the_order_given()
    {
        var clock = new FakeClock();
        var units = new[] { Unit(Cheap), Unit(Linear) };
        var scheduler = new BudgetScheduler(TimeSpan.FromMinutes(10), clock, Costs(new() { [Cheap] = 0.01, [Linear] = 0.1 }), units, workers: 2);
        var log = Simulate(scheduler, clock, 2, (unit, _) => unit == units[0] ? 1 : 10);
        Assert.All(units, u => Assert.Equal(BudgetState.Measured, u.State));
        Assert.Equal(10, log.Count);
        Assert.Equal(Enumerable.Repeat(Cheap.Name, 5).Concat(Enumerable.Repeat(Linear.Name, 5)), log.Select(l => l.Name));
    }

    [Fact]
    public void A_candidate_whose_fits_would_overrun_is_skipped_and_says_why()
    {
        var clock = new FakeClock();
        var units = new[] { Unit(Cheap), Unit(Costly) };
        // Costly: 5 fits × 60 s on 2 workers = 150 s, more than the 90 s planned of a 100 s budget.
        var scheduler = new BudgetScheduler(TimeSpan.FromSeconds(100), clock, Costs(new() { [Cheap] = 0.01, [Costly] = 0.6 }), units, workers: 2);
        var log = Simulate(scheduler, clock, 2, (unit, step) => unit.Candidate == Cheap ? 1 : 60);
        Assert.Equal(BudgetState.Measured, units[0].State);
        Assert.Equal(BudgetState.Skipped, units[1].State);
        Assert.All(log, l => Assert.Equal(Cheap.Name, l.Name));
        Assert.StartsWith("not started: its 5 cross-validation fits were predicted to take 5m 00s of fit time (estimated)", units[1].Reason);
        Assert.Contains("of the budget left", units[1].Reason);
    }

    [Fact]
    public void The_final_fit_is_kept_in_reserve()
    {
        // Two fold fits of 30 s on one worker (60 s) fit in the 90 s planned of 100 s; with the final fit (125 rows:
        // 37.5 s) they do not, so the candidate is not started.
        var costs = new Dictionary<Candidate, double> { [Linear] = 0.3 };
        var tight = Unit(Linear, folds: 2);
        var clock = new FakeClock();
        var scheduler = new BudgetScheduler(TimeSpan.FromSeconds(100), clock, Costs(costs), [tight], workers: 1);
        Assert.Null(scheduler.Next());
        Assert.Equal(BudgetState.Skipped, tight.State);
        Assert.Contains("a final fit kept in reserve, the comparison would have needed 1m 38s more", tight.Reason);

        // With 10 s more, it starts, and the scheduler's own estimate of the final fit is the reserve it kept.
        var roomy = Unit(Linear, folds: 2);
        var roomier = new BudgetScheduler(TimeSpan.FromSeconds(110), new FakeClock(), Costs(costs), [roomy], workers: 1);
        Assert.NotNull(roomier.Next());
        Assert.Equal(BudgetState.Running, roomy.State);
        Assert.Equal(37.5, roomier.FinalSeconds(roomy), 6);
    }

    [Fact]
    public void Measured_fits_calibrate_the_estimates_of_trainers_not_yet_measured()
    {
        // The prior says every trainer is 3× faster than it is. Linear's 5 fits would take 5 × 20 s / 2 = 50 s by the
        // prior (+ 25 s final): within the 90 s planned. After Cheap's fits are measured 3× slower than their prior,
        // Linear is predicted at 150 s + 75 s and skipped before it starts.
        var clock = new FakeClock();
        var units = new[] { Unit(Cheap), Unit(Linear) };
        var scheduler = new BudgetScheduler(TimeSpan.FromSeconds(100), clock, Costs(new() { [Cheap] = 0.01, [Linear] = 0.2 }), units, workers: 2);
        Simulate(scheduler, clock, 2, (unit, _) => unit.Candidate == Cheap ? 3 : 60);
        Assert.Equal(BudgetState.Measured, units[0].State);
        Assert.Equal(BudgetState.Skipped, units[1].State);
        Assert.Contains("predicted to take 5m 00s of fit time (estimated)", units[1].Reason);
    }

    [Fact]
    public void A_started_candidate_that_turns_out_slower_is_stopped_and_says_so()
    {
        // Admitted on its prior (5 × 5 s), its first fits take 40 s each: the other three are then predicted to need
        // 3 × 40 s / 2 + a 50 s final fit, past the 100 s budget, so it is abandoned after the two started.
        var clock = new FakeClock();
        var unit = Unit(Linear);
        var scheduler = new BudgetScheduler(TimeSpan.FromSeconds(100), clock, Costs(new() { [Linear] = 0.05 }), [unit], workers: 2);
        var log = Simulate(scheduler, clock, 2, (_, _) => 40);
        Assert.Equal(BudgetState.Abandoned, unit.State);
        Assert.Equal(2, log.Count);
        Assert.Equal(2, unit.Done);
        Assert.StartsWith("stopped after 2 of 5 cross-validation fits", unit.Reason);
        Assert.False(scheduler.Busy);
        Assert.Null(scheduler.Next());
    }

    [Fact]
    public void Exclusive_fits_never_overlap_and_the_free_worker_takes_other_work()
    {
        var clock = new FakeClock();
        var units = new[] { Unit(Boosted), Unit(BoostedWeighted), Unit(Cheap) };
        var scheduler = new BudgetScheduler(TimeSpan.FromHours(1), clock, Costs(new() { [Boosted] = 0.01, [Cheap] = 0.01 }), units, workers: 2);
        var log = Simulate(scheduler, clock, 2, (_, _) => 1);
        Assert.All(units, u => Assert.Equal(BudgetState.Measured, u.State));
        var exclusive = log.Where(l => l.Name.StartsWith("lightgbm", StringComparison.Ordinal)).OrderBy(l => l.Start).ToList();
        Assert.Equal(10, exclusive.Count);
        for (int i = 1; i < exclusive.Count; i++)
        {
            Assert.True(exclusive[i].Start >= exclusive[i - 1].End, $"{exclusive[i].Name} started at {exclusive[i].Start} before {exclusive[i - 1].End}");
        }

        // While the boosted fits ran one at a time, the other worker ran the cheap candidate's.
        Assert.Equal(0, log.Where(l => l.Name == Cheap.Name).Min(l => l.Start));
    }

    /// Runs the scheduler to the end with <paramref name="workers"/> simulated workers; a fit takes
    /// <paramref name="seconds"/> on the fake clock. Returns each fit with its start and end.
    private static List<(string Name, int Step, double Start, double End)> Simulate(BudgetScheduler scheduler, FakeClock clock, int workers, Func<BudgetUnit, int, double> seconds)
    {
        var log = new List<(string, int, double, double)>();
        var running = new List<(BudgetUnit Unit, int Step, double Start, double End)>();
        while (true)
        {
            while (running.Count < workers && scheduler.Next() is { } next)
            {
                running.Add((next.Unit, next.Step, clock.Now, clock.Now + seconds(next.Unit, next.Step)));
            }

            if (running.Count == 0)
            {
                return log;
            }

            var first = running.MinBy(r => r.End);
            running.Remove(first);
            clock.Now = first.End;
            scheduler.Finished(first.Unit, first.Step, first.End - first.Start);
            log.Add((first.Unit.Candidate.Name, first.Step, first.Start, first.End));
        }
    }

    private sealed class FakeClock : TimeProvider
    {
        public double Now { get; set; }

        public override long TimestampFrequency => 1_000_000;

        public override long GetTimestamp() => (long)Math.Round(Now * TimestampFrequency);
    }
}
