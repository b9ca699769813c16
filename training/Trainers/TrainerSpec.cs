using Custom.Training.Features;
using Microsoft.ML;

namespace Custom.Training.Trainers;

/// <summary>Column names a trainer reads.</summary>
internal sealed record TrainerColumns(string Label, string Features, string? Weight);

/// <summary>
/// One multiclass trainer of the catalog: how to build it, whether its features must be normalized first, and whether
/// it accepts example weights (needed for the class-weighted variant).
/// </summary>
public sealed class TrainerSpec
{
    internal TrainerSpec(string name, string description, bool normalize, bool supportsWeights, bool supportsOffsets, double relativeCost, Func<MLContext, TrainerColumns, int, IEstimator<ITransformer>> create)
    {
        RelativeCost = relativeCost;
        Name = name;
        Description = description;
        Normalize = normalize;
        SupportsWeights = supportsWeights;
        SupportsOffsets = supportsOffsets;
        Create = create;
    }

    /// <summary>Short name used on the command line and in candidate names.</summary>
    public string Name { get; }

    /// <summary>The ML.NET trainer behind the name.</summary>
    public string Description { get; }

    /// <summary>True when features go through mean-variance normalization first.</summary>
    public bool Normalize { get; }

    /// <summary>True when the trainer accepts an example-weight column.</summary>
    public bool SupportsWeights { get; }

    /// <summary>True when the trainer scores with class probabilities, which tuned class offsets can shift.</summary>
    public bool SupportsOffsets { get; }

    /// <summary>
    /// The feature kinds the default comparison runs this trainer on, or null for
    /// <see cref="TrainingOptions.DefaultFeatures"/>; any kind it accepts can still be asked for by name.
    /// </summary>
    public IReadOnlyList<FeatureKind>? DefaultFeatures { get; internal init; }

    /// <summary>
    /// True when the default comparison includes this trainer; one left out still runs when named
    /// (<c>--trainers</c>) or in a budgeted search.
    /// </summary>
    public bool InDefaultComparison { get; internal init; } = true;

    /// <summary>The only feature kinds this trainer can take, or null for any.</summary>
    public IReadOnlyList<FeatureKind>? AcceptedFeatures { get; internal init; }

    /// Rough cost of one fit per feature dimension, measured on the AudioSet ten-class data; only orders the work so that
    /// the longest fits start first.
    internal double RelativeCost { get; }

    /// True when ML.NET trains one model of this kind at a time per process (LightGBM holds a static lock), so running
    /// two such fits at once would only leave a worker waiting.
    internal bool OneFitPerProcess { get; init; }

    internal Func<MLContext, TrainerColumns, int, IEstimator<ITransformer>> Create { get; }

    /// The same trainer as it learns the classes and "other" (open set), where its settings differ; null where they do not.
    internal TrainerSpec? ForOther { get; init; }

    /// The trainer to fit a model that also learns "other".
    internal TrainerSpec LearningOther => ForOther ?? this;
}
