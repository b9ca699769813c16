using Custom.Training.Features;

namespace Custom.Training.Trainers;

/// <summary>One trainer on one feature kind, with or without class weights: a row of the leaderboard.</summary>
public sealed record Candidate(TrainerSpec Trainer, FeatureKind Features, bool Weighted)
{
    /// <summary>Readable, unique name, e.g. <c>lbfgs-maxent+weighted/stats</c>.</summary>
    public string Name => $"{TrainerName}/{Features.ToName()}";

    /// <summary>The trainer with its weighting, e.g. <c>lbfgs-maxent+weighted</c>: what metrics files call the trainer.</summary>
    public string TrainerName => Trainer.Name + (Weighted ? "+weighted" : "");

    /// <summary>
    /// Every trainer × feature kind, plus a class-weighted variant (example weight ∝ 1 / class frequency) for each
    /// trainer that accepts weights; in catalog order.
    /// </summary>
    public static IReadOnlyList<Candidate> Grid(IEnumerable<TrainerSpec> trainers, IEnumerable<FeatureKind> features, bool weightedVariants = true)
    {
        var kinds = features.ToList();
        var grid = new List<Candidate>();
        foreach (var trainer in trainers)
        {
            foreach (var kind in kinds)
            {
                grid.Add(new Candidate(trainer, kind, false));
                if (weightedVariants && trainer.SupportsWeights)
                {
                    grid.Add(new Candidate(trainer, kind, true));
                }
            }
        }

        return grid;
    }
}
