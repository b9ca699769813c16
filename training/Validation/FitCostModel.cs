using Custom.Training.Features;
using Custom.Training.Trainers;

namespace Custom.Training.Validation;

/// <summary>
/// Predicts the seconds one fit takes, as seconds per training row × rows, per trainer and feature kind. A pair with a
/// measured fit is predicted from its own fits; any other from a prior scaled by how the measured fits compared with
/// their priors, so a slower or busier machine slows every prediction alike. Fit time grows linearly with the rows
/// for every trainer of the catalog (fixed epochs, iterations or trees).
/// </summary>
internal sealed class FitCostModel(Func<Candidate, double> priorSecondsPerRow)
{
    /// <summary>
    /// Seconds per row per unit of <see cref="TrainerSpec.RelativeCost"/> × feature dimension. On bal_train (5 folds,
    /// two workers, AVX off, a busy 2-core machine) the catalog's fits took 0.2–4.7 times this prior, half of them
    /// within 0.6–2.1 times: close enough to order candidates and to admit the first ones, after which every
    /// prediction is calibrated by the fits measured (docs/budget.md).
    /// </summary>
    public const double SecondsPerCostUnit = 1.5e-5;

    private readonly Dictionary<(string Trainer, FeatureKind Kind), (double Seconds, long Rows)> _measured = new();
    private double _measuredSeconds;
    private double _priorSeconds;

    /// <summary>The catalog's own prior: relative cost × feature dimension.</summary>
    public static double CatalogPrior(Candidate candidate) =>
        candidate.Trainer.RelativeCost * candidate.Features.Dimension() * SecondsPerCostUnit;

    // Measured seconds ÷ prior seconds over every fit recorded so far (1 before any).
    private double Calibration => _priorSeconds > 0 ? _measuredSeconds / _priorSeconds : 1;

    /// <summary>True when the candidate's trainer has a measured fit on its feature kind.</summary>
    public bool IsMeasured(Candidate candidate) => _measured.ContainsKey(Key(candidate));

    /// <summary>Predicted seconds of one fit of <paramref name="candidate"/> on <paramref name="rows"/> rows.</summary>
    public double Predict(Candidate candidate, int rows) =>
        _measured.TryGetValue(Key(candidate), out var own)
            ? own.Seconds / own.Rows * rows
            : priorSecondsPerRow(candidate) * rows * Calibration;

    /// <summary>Records a fit that took <paramref name="seconds"/> on <paramref name="rows"/> training rows.</summary>
    public void Record(Candidate candidate, int rows, double seconds)
    {
        var key = Key(candidate);
        _measured[key] = _measured.TryGetValue(key, out var sum) ? (sum.Seconds + seconds, sum.Rows + rows) : (seconds, rows);
        _measuredSeconds += seconds;
        _priorSeconds += priorSecondsPerRow(candidate) * rows;
    }

    // Weighted and unweighted variants cost the same; offsets variants share the fit.
    private static (string, FeatureKind) Key(Candidate candidate) => (candidate.Trainer.Name, candidate.Features);
}
