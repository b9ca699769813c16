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

    /// <summary>Fits run at once. Each fit has its own context and seed, so this never changes a result.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Told before each fold fit and each final fit; called from worker threads.</summary>
    public IProgress<TrainingProgress>? Progress { get; init; }

    /// <summary>Feature kinds compared by default; flat (1,280 values) is opt-in, to keep the default comparison within its time budget.</summary>
    public static IReadOnlyList<FeatureKind> DefaultFeatures { get; } = [FeatureKind.Mean, FeatureKind.Stats];

    /// <summary>The full catalog: every trainer on the default feature kinds it is compared on, with class-weighted variants.</summary>
    public static IReadOnlyList<Candidate> DefaultCandidates { get; } = Candidate.Grid(TrainerCatalog.All, features: null);
}

/// <summary>Where a run is: fits done of all fits, and the one starting: a candidate's step j of k·r+1 (k folds of each of
/// r repeats, then the final fit).</summary>
public readonly record struct TrainingProgress(int FitsDone, int Fits, string Name, int Step, int Steps);
