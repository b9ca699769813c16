using Custom.Training.Features;

namespace Custom.Training.Trainers;

/// <summary>
/// One trainer on one feature kind, with or without class weights, with or without class offsets tuned for macro-F1 on
/// its out-of-fold predictions: a row of the leaderboard.
/// </summary>
public sealed record Candidate(TrainerSpec Trainer, FeatureKind Features, bool Weighted, bool Offsets = false)
{
    /// <summary>Readable, unique name, e.g. <c>lbfgs-maxent+weighted/stats</c>.</summary>
    public string Name => $"{TrainerName}/{Features.ToName()}";

    /// <summary>The trainer with its weighting, e.g. <c>lbfgs-maxent+weighted</c>: what metrics files call the trainer.</summary>
    public string TrainerName => Trainer.Name + (Weighted ? "+weighted" : "") + (Offsets ? "+offsets" : "");

    /// The same candidate without offsets: the model an offsets variant shares.
    internal Candidate Base => this with { Offsets = false };

    /// <summary>
    /// Every trainer × feature kind, plus a class-weighted variant (example weight ∝ 1 / class frequency) for each
    /// trainer that accepts weights, and, when asked, of each of these an offsets variant for each trainer that scores
    /// with probabilities; in catalog order. Offsets variants cost no extra fit: they reuse the same models.
    /// <paramref name="features"/> null means each trainer on the kinds it is compared on by default
    /// (<see cref="TrainerSpec.DefaultFeatures"/>), or on the default kinds (<see cref="TrainingOptions.DefaultFeatures"/>)
    /// when it names none. Kinds a trainer cannot take (<see cref="TrainerSpec.AcceptedFeatures"/>) are left out; when
    /// that leaves no candidate at all, the kinds asked for are refused (<see cref="Custom.Data.InvalidInputException"/>).
    /// </summary>
    public static IReadOnlyList<Candidate> Grid(IEnumerable<TrainerSpec> trainers, IEnumerable<FeatureKind>? features, bool weightedVariants = true, bool offsetVariants = false)
    {
        var kinds = features?.ToList();
        var grid = new List<Candidate>();
        foreach (var trainer in trainers)
        {
            var trainerKinds = kinds ?? trainer.DefaultFeatures ?? TrainingOptions.DefaultFeatures;
            foreach (var kind in trainerKinds.Where(k => trainer.AcceptedFeatures?.Contains(k) ?? true))
            {
                foreach (bool weighted in weightedVariants && trainer.SupportsWeights ? new[] { false, true } : [false])
                {
                    grid.Add(new Candidate(trainer, kind, weighted));
                    if (offsetVariants && trainer.SupportsOffsets)
                    {
                        grid.Add(new Candidate(trainer, kind, weighted, Offsets: true));
                    }
                }
            }
        }

        var restricted = trainers.FirstOrDefault(t => t.AcceptedFeatures is not null);
        if (grid.Count == 0 && kinds is { Count: > 0 } && restricted is not null)
        {
            throw new Custom.Data.InvalidInputException(
                $"the {restricted.Name} trainer takes {string.Join(", ", restricted.AcceptedFeatures!.Select(k => k.ToName()))} features only, " +
                $"not {string.Join(", ", kinds.Select(k => k.ToName()))}: use --features {restricted.AcceptedFeatures![0].ToName()} or leave --features out");
        }

        return grid;
    }
}
