using Custom.Training.Features;
using Custom.Training.Trainers;

namespace Custom.Training;

/// <summary>What <see cref="TrainingSession.Run"/> compares and how.</summary>
public sealed record TrainingOptions
{
    /// <summary>The seed of reference runs.</summary>
    public const int DefaultSeed = 42;

    /// <summary>Seed for fold assignment and every trainer; equal seeds give byte-identical metrics.</summary>
    public int Seed { get; init; } = DefaultSeed;

    /// <summary>Cross-validation folds (stratified), at least 2.</summary>
    public int Folds { get; init; } = 5;

    /// <summary>
    /// Cross-validation repeats, each with its own stratified fold assignment (repeat r deals folds with
    /// <see cref="Seed"/> + r). More repeats rank candidates whose figures lie within the fold-to-fold noise more
    /// steadily, and give offsets more out-of-fold predictions to be tuned on, at the cost of k more fits per repeat.
    /// </summary>
    public int Repeats { get; init; } = 1;

    /// <summary>The candidates to compare (default: <see cref="DefaultCandidates"/>).</summary>
    public IReadOnlyList<Candidate> Candidates { get; init; } = DefaultCandidates;

    /// <summary>
    /// Open-set mode: learn "other" from the training clips carrying none of the classes, calibrated by cross-validation,
    /// and report on every evaluation clip (<see cref="OpenSet.OpenSetSession"/>); <see cref="TrainingPipeline"/> reads
    /// those clips. Off by default: the default run never answers "other".
    /// </summary>
    public bool OpenSet { get; init; }

    /// <summary>The default of <see cref="OpenSetMaxDrop"/>: inside the 0.02 the open-set mode promises, with room for
    /// cross-validation noise; a set value, not a tuned one.</summary>
    public const double DefaultOpenSetMaxDrop = 0.015;

    /// <summary>
    /// In open-set mode, how far the K classes' macro-F1 and accuracy on their own clips (out of fold, an "other" answer
    /// counting wrong) may fall below the closed model's so that fewer none-clips are given one of the K classes. The
    /// calibration (<see cref="OpenSet.OpenSetSession"/>) maximizes (K+1)-class macro-F1 within it. A larger value
    /// buys fewer none-clips given a class with accuracy on the K classes, at the rates the trade-off of
    /// <see cref="OpenSet.OpenSetCandidate"/> shows. From 0 up to, not including, 1.
    /// </summary>
    public double OpenSetMaxDrop { get; init; } = DefaultOpenSetMaxDrop;

    /// <summary>Fits run at once. Each fit has its own context and seed, so this never changes a result.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Bounds the comparison's wall-clock time (features, cross-validation, the chosen candidate's final fit), or null
    /// for none. With a budget, candidates start cheapest first, each only when its cross-validation fits — estimated
    /// from the fits already measured — and a reserve for the final fit are predicted to end within the budget; the
    /// others are left out and listed with the reason (<see cref="TrainingResult.Budget"/>). Only the chosen candidate
    /// is fit on the whole training split and scored on eval. Which candidates complete depends on the machine's
    /// speed; the figures of each one do not.
    /// </summary>
    public TimeSpan? Budget { get; init; }

    /// <summary>Told before each fold fit and each final fit; called from worker threads.</summary>
    public IProgress<TrainingProgress>? Progress { get; init; }

    /// <summary>Feature kinds compared by default for trainers that name none of their own; flat (1,280 values) is opt-in for them, to keep the default comparison within its time budget.</summary>
    public static IReadOnlyList<FeatureKind> DefaultFeatures { get; } = [FeatureKind.Mean, FeatureKind.Stats];

    /// <summary>The trainers compared by default (<see cref="TrainerSpec.InDefaultComparison"/>).</summary>
    public static IReadOnlyList<TrainerSpec> DefaultTrainers { get; } = TrainerCatalog.All.Where(t => t.InDefaultComparison).ToList();

    /// <summary>The default comparison: every default trainer on the feature kinds it is compared on by default, with class-weighted variants.</summary>
    public static IReadOnlyList<Candidate> DefaultCandidates { get; } = Candidate.Grid(DefaultTrainers, features: null);

    /// <summary>
    /// The wider search of a budgeted run: every trainer of the catalog on mean and stats features (the perceptron on
    /// stats too), and a trainer that takes other kinds only (attention) on its own, with class-weighted and offsets
    /// variants. Flat features for the others are left to be asked for by name: they hold ten times the memory of mean
    /// features.
    /// </summary>
    public static IReadOnlyList<Candidate> BudgetCandidates { get; } =
    [
        .. Candidate.Grid(TrainerCatalog.All.Where(t => t.AcceptedFeatures is null), [FeatureKind.Mean, FeatureKind.Stats], offsetVariants: true),
        .. Candidate.Grid(TrainerCatalog.All.Where(t => t.AcceptedFeatures is not null), features: null, offsetVariants: true),
    ];
}

/// <summary>Where a run is: fits done of all fits, and the one starting: a candidate's step j of k·r+1 (k folds of each of
/// r repeats, then the final fit).</summary>
public readonly record struct TrainingProgress(int FitsDone, int Fits, string Name, int Step, int Steps);
