using Custom.Evaluation;

namespace Custom.Training;

/// <summary>How a budgeted comparison (<see cref="TrainingOptions.Budget"/>) went.</summary>
/// <param name="Budget">The budget.</param>
/// <param name="Elapsed">Wall-clock time of the comparison: features, cross-validation and the chosen candidate's final fit.</param>
/// <param name="Skipped">Candidates not ranked, with the reason, in the order they were considered.</param>
public sealed record BudgetOutcome(TimeSpan Budget, TimeSpan Elapsed, IReadOnlyList<SkippedCandidate> Skipped);
