using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace Custom.Training.Features;

/// <summary>
/// The featurizer as an ML.NET transform, so a saved model goes from raw frames to a prediction. ML.NET saves a
/// custom mapping by contract name; loading it needs this assembly registered, which
/// <see cref="SavedModel.Load"/> does.
/// </summary>
internal static class FeaturizerMapping
{
    public const string OutputColumn = "Features";

    public static IEstimator<ITransformer> Estimator(MLContext ml, FeatureKind kind) => kind switch
    {
        FeatureKind.Mean => ml.Transforms.CustomMapping(new MeanFactory().GetMapping(), MeanFactory.Contract),
        FeatureKind.Stats => ml.Transforms.CustomMapping(new StatsFactory().GetMapping(), StatsFactory.Contract),
        FeatureKind.Flat => ml.Transforms.CustomMapping(new FlatFactory().GetMapping(), FlatFactory.Contract),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static void Map(FeatureKind kind, FrameInput input, float[] features)
    {
        int count = Math.Clamp(input.FrameCount, 1, Featurizer.MaxFrames);
        Featurizer.Compute(kind, input.Frames.AsSpan(0, count * Featurizer.FrameSize), features);
    }

    public sealed class MeanFeatures
    {
        [VectorType(Featurizer.FrameSize)]
        public float[] Features { get; set; } = new float[Featurizer.FrameSize];
    }

    public sealed class StatsFeatures
    {
        [VectorType(3 * Featurizer.FrameSize)]
        public float[] Features { get; set; } = new float[3 * Featurizer.FrameSize];
    }

    public sealed class FlatFeatures
    {
        [VectorType(Featurizer.MaxFrames * Featurizer.FrameSize)]
        public float[] Features { get; set; } = new float[Featurizer.MaxFrames * Featurizer.FrameSize];
    }

    [CustomMappingFactoryAttribute(Contract)]
    public sealed class MeanFactory : CustomMappingFactory<FrameInput, MeanFeatures>
    {
        public const string Contract = "Custom.Featurizer.Mean.v1";

        public override Action<FrameInput, MeanFeatures> GetMapping() => (input, output) => Map(FeatureKind.Mean, input, output.Features);
    }

    [CustomMappingFactoryAttribute(Contract)]
    public sealed class StatsFactory : CustomMappingFactory<FrameInput, StatsFeatures>
    {
        public const string Contract = "Custom.Featurizer.Stats.v1";

        public override Action<FrameInput, StatsFeatures> GetMapping() => (input, output) => Map(FeatureKind.Stats, input, output.Features);
    }

    [CustomMappingFactoryAttribute(Contract)]
    public sealed class FlatFactory : CustomMappingFactory<FrameInput, FlatFeatures>
    {
        public const string Contract = "Custom.Featurizer.Flat.v1";

        public override Action<FrameInput, FlatFeatures> GetMapping() => (input, output) => Map(FeatureKind.Flat, input, output.Features);
    }
}
