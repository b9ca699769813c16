using System.Globalization;
using Custom.Training.Trainers;

namespace Custom.Training.Validation;

/// <summary>Where a candidate stands in a budgeted comparison.</summary>
internal enum BudgetState
{
    /// <summary>Not yet considered.</summary>
    Pending,
    /// <summary>Admitted: its cross-validation fits are running or waiting.</summary>
    Running,
    /// <summary>Every cross-validation fit done.</summary>
    Measured,
    /// <summary>Never started: its fits were predicted not to end within the budget.</summary>
    Skipped,
    /// <summary>Started, then stopped: its remaining fits were predicted to overrun the budget.</summary>
    Abandoned,
}

/// <summary>One candidate's cross-validation fits as <see cref="BudgetScheduler"/> plans them.</summary>
/// <param name="candidate">The candidate whose fits these are (offsets variants share them).</param>
/// <param name="stepRows">Training rows of each cross-validation fit.</param>
/// <param name="allRows">Training rows of the final fit.</param>
/// <param name="exclusive">Whether only one fit of this kind may run at a time (<see cref="TrainerSpec.OneFitPerProcess"/>).</param>
internal sealed class BudgetUnit(Candidate candidate, IReadOnlyList<int> stepRows, int allRows, bool exclusive)
{
    public Candidate Candidate { get; } = candidate;

    public IReadOnlyList<int> StepRows { get; } = stepRows;

    public int AllRows { get; } = allRows;

    public bool Exclusive { get; } = exclusive;

    public BudgetState State { get; internal set; }

    /// <summary>Why it was skipped or abandoned; null otherwise.</summary>
    public string? Reason { get; internal set; }

    /// <summary>Cross-validation fits started.</summary>
    public int Started { get; internal set; }

    /// <summary>Cross-validation fits done.</summary>
    public int Done { get; internal set; }

    public int Steps => StepRows.Count;
}

/// <summary>
/// Decides which cross-validation fit starts next so that the comparison ends within its budget: candidates are
/// considered in the order given (cheapest first), and one starts only when all committed work — fits running, fits
/// of candidates already started, and its own — spread over the workers, plus a reserve for the costliest final fit
/// any measured candidate may need, is predicted to end within <see cref="PlannedShare"/> of the budget. Once started,
/// a candidate's next fit is checked again against the whole budget with the estimates of the fits done since; if it
/// would overrun, the candidate is abandoned and says so. Predictions come from <see cref="FitCostModel"/>, which
/// learns from every fit reported done. Not thread-safe: callers hold one lock around every call.
/// </summary>
internal sealed class BudgetScheduler
{
    /// <summary>
    /// The share of the budget candidates are started against: fits running beside each other on shared cores vary,
    /// and the last ones cannot be stopped halfway, so a tenth is kept for the estimates being short.
    /// </summary>
    public const double PlannedShare = 0.9;

    private readonly TimeSpan _budget;
    private readonly TimeProvider _clock;
    private readonly long _start;
    private readonly FitCostModel _costs;
    private readonly IReadOnlyList<BudgetUnit> _units;
    private readonly int _workers;
    private readonly List<(BudgetUnit Unit, int Step, long Started)> _running = [];

    public BudgetScheduler(TimeSpan budget, TimeProvider clock, FitCostModel costs, IReadOnlyList<BudgetUnit> units, int workers)
    {
        _budget = budget;
        _clock = clock;
        _start = clock.GetTimestamp();
        _costs = costs;
        _units = units;
        _workers = Math.Max(1, workers);
    }

    /// <summary>Time since the scheduler was made.</summary>
    public TimeSpan Elapsed => _clock.GetElapsedTime(_start);

    /// <summary>True while a fit is running.</summary>
    public bool Busy => _running.Count > 0;

    /// <summary>Cross-validation fits of candidates not skipped or abandoned, done or to do.</summary>
    public int PlannedFits => _units.Where(u => u.State is BudgetState.Pending or BudgetState.Running or BudgetState.Measured).Sum(u => u.Steps)
        + _units.Where(u => u.State == BudgetState.Abandoned).Sum(u => u.Started);

    /// <summary>
    /// The next cross-validation fit to start, or null when none may start now: then either a fit is running
    /// (<see cref="Busy"/>; ask again when it ends) or the comparison's cross-validation is over.
    /// </summary>
    public (BudgetUnit Unit, int Step)? Next()
    {
        bool exclusiveRunning = _running.Any(r => r.Unit.Exclusive);
        double left = _budget.TotalSeconds - Elapsed.TotalSeconds;
        foreach (var unit in _units.Where(u => u.State == BudgetState.Running && u.Started < u.Steps))
        {
            if (unit.Exclusive && exclusiveRunning)
            {
                continue;
            }

            double need = Need(extra: null);
            if (need > left)
            {
                unit.State = BudgetState.Abandoned;
                unit.Reason = Invariant($"stopped after {unit.Started} of {unit.Steps} cross-validation fits: with the fits measured since it started, the rest of the comparison was predicted to need {Duration(need)} (a final fit included), with {Duration(Math.Max(0, left))} of the budget left");
                continue;
            }

            return Start(unit);
        }

        double planned = _budget.TotalSeconds * PlannedShare - Elapsed.TotalSeconds;
        foreach (var unit in _units.Where(u => u.State == BudgetState.Pending))
        {
            if (unit.Exclusive && exclusiveRunning)
            {
                continue;
            }

            double need = Need(unit);
            if (need > planned)
            {
                unit.State = BudgetState.Skipped;
                double own = unit.StepRows.Sum(rows => _costs.Predict(unit.Candidate, rows));
                unit.Reason = Invariant($"not started: its {unit.Steps} cross-validation fits were predicted to take {Duration(own)} of fit time ({(_costs.IsMeasured(unit.Candidate) ? "from its trainer's measured fits" : "estimated")}); with the fits already started, spread over {_workers} workers, and a final fit kept in reserve, the comparison would have needed {Duration(need)} more, with {Duration(Math.Max(0, planned))} of the budget left to plan with");
                continue;
            }

            unit.State = BudgetState.Running;
            return Start(unit);
        }

        return null;
    }

    /// <summary>Reports a fit done; its time teaches the cost model.</summary>
    public void Finished(BudgetUnit unit, int step, double seconds)
    {
        int index = _running.FindIndex(r => r.Unit == unit && r.Step == step);
        if (index < 0)
        {
            throw new InvalidOperationException($"{unit.Candidate.Name}: fit {step} was not running");
        }

        _running.RemoveAt(index);
        _costs.Record(unit.Candidate, unit.StepRows[step], seconds);
        unit.Done++;
        if (unit.State == BudgetState.Running && unit.Done == unit.Steps)
        {
            unit.State = BudgetState.Measured;
        }
    }

    /// <summary>Predicted seconds of <paramref name="unit"/>'s final fit.</summary>
    public double FinalSeconds(BudgetUnit unit) => _costs.Predict(unit.Candidate, unit.AllRows);

    private (BudgetUnit, int) Start(BudgetUnit unit)
    {
        int step = unit.Started++;
        _running.Add((unit, step, _clock.GetTimestamp()));
        return (unit, step);
    }

    // Seconds from now until the last committed fit ends (with extra's fits added), then the costliest final fit any
    // measured or started candidate (or extra) could need. Running fits count for what their estimate has left.
    private double Need(BudgetUnit? extra)
    {
        double work = 0;
        double longest = 0;
        foreach (var (unit, step, started) in _running)
        {
            double rest = Math.Max(0, _costs.Predict(unit.Candidate, unit.StepRows[step]) - _clock.GetElapsedTime(started).TotalSeconds);
            work += rest;
            longest = Math.Max(longest, rest);
        }

        foreach (var unit in _units.Where(u => u.State == BudgetState.Running || u == extra))
        {
            for (int step = unit.Started; step < unit.Steps; step++)
            {
                double fit = _costs.Predict(unit.Candidate, unit.StepRows[step]);
                work += fit;
                longest = Math.Max(longest, fit);
            }
        }

        double reserve = _units.Where(u => u.State is BudgetState.Running or BudgetState.Measured || u == extra)
            .Select(FinalSeconds).DefaultIfEmpty(0).Max();
        return Math.Max(work / _workers, longest) + reserve;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Seconds as people read them: 0.25 s, 42 s, 3m 05s, 1h 02m.</summary>
    internal static string Duration(double seconds)
    {
        if (seconds < 10)
        {
            return Invariant($"{seconds:0.###} s");
        }

        var span = TimeSpan.FromSeconds(Math.Round(seconds));
        return span.TotalHours >= 1 ? Invariant($"{(int)span.TotalHours}h {span.Minutes:00}m")
            : span.TotalMinutes >= 1 ? Invariant($"{span.Minutes}m {span.Seconds:00}s")
            : Invariant($"{span.Seconds} s");
    }
}
