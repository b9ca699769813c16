namespace Custom.Training.Features;

/// <summary>How a clip's n × 128 embedding frames become one feature vector.</summary>
public enum FeatureKind
{
    /// <summary>Mean of the real frames: 128 values.</summary>
    Mean,
    /// <summary>Mean, standard deviation and maximum of the real frames: 384 values.</summary>
    Stats,
    /// <summary>The first ten frames flattened, missing frames as zeros: 1,280 values.</summary>
    Flat,
}

/// <summary>Names of <see cref="FeatureKind"/> values as used on the command line and in files.</summary>
public static class FeatureKinds
{
    /// <summary>Every kind, in catalog order.</summary>
    public static IReadOnlyList<FeatureKind> All { get; } = [FeatureKind.Mean, FeatureKind.Stats, FeatureKind.Flat];

    /// <summary>The lower-case name ("mean", "stats", "flat").</summary>
    public static string ToName(this FeatureKind kind) => kind switch
    {
        FeatureKind.Mean => "mean",
        FeatureKind.Stats => "stats",
        FeatureKind.Flat => "flat",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>Parses a name; an unknown one is a <see cref="Custom.Data.InvalidInputException"/> listing the valid names.</summary>
    public static FeatureKind Parse(string name)
    {
        foreach (var kind in All)
        {
            if (string.Equals(kind.ToName(), name.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return kind;
            }
        }

        throw new Custom.Data.InvalidInputException($"unknown features '{name}': use {string.Join(", ", All.Select(k => k.ToName()))}");
    }

    /// <summary>Length of the feature vector.</summary>
    public static int Dimension(this FeatureKind kind) => kind switch
    {
        FeatureKind.Mean => Featurizer.FrameSize,
        FeatureKind.Stats => 3 * Featurizer.FrameSize,
        FeatureKind.Flat => Featurizer.MaxFrames * Featurizer.FrameSize,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
