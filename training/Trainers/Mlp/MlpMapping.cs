using Microsoft.ML;
using Microsoft.ML.Transforms;

namespace Custom.Training.Trainers.Mlp;

/// <summary>
/// A trained perceptron as ML.NET transforms that save with <c>model.zip</c>, the way the class offsets are saved
/// (<see cref="Offsets.ClassOffsetsMapping"/>): ML.NET has no public transform with fixed parameters, so the packed
/// weights live in a one-entry value mapping that a constant key column looks up, and a stateless custom mapping scores
/// Features with them into Score. Loading needs this assembly registered (<see cref="SavedModel.Load"/>).
/// </summary>
internal static class MlpMapping
{
    private const string KeyColumn = "MlpKey";
    private const string WeightsColumn = "MlpWeights";
    private const uint Key = 1;

    /// The transforms, fitted on <paramref name="features"/> (any view with the Features column).
    public static ITransformer Fit(MLContext ml, IDataView features, MlpNetwork network) =>
        Estimator(ml, network).Fit(features);

    public static IEstimator<ITransformer> Estimator(MLContext ml, MlpNetwork network) =>
        ml.Transforms.CustomMapping(new KeyFactory().GetMapping(), KeyFactory.Contract)
            .Append(ml.Transforms.Conversion.MapValue(WeightsColumn, [new KeyValuePair<uint, float[]>(Key, network.Packed)], KeyColumn))
            .Append(ml.Transforms.CustomMapping(new ScoreFactory().GetMapping(), ScoreFactory.Contract));

    /// Scores with the network held in memory: the same numbers as <see cref="Fit"/> without copying the weights into
    /// every row, for scoring inside a training session. Not saveable.
    public static ITransformer FitInMemory(MLContext ml, IDataView features, MlpNetwork network) =>
        ml.Transforms.CustomMapping<FeaturesOnly, Scores>((input, output) => output.Score = network.Probabilities(input.Features), contractName: null)
            .Fit(features);

    public sealed class NoInput;

    public sealed class FeaturesOnly
    {
        public float[] Features { get; set; } = [];
    }

    public sealed class KeyRow
    {
        public uint MlpKey { get; set; }
    }

    public sealed class FeaturesAndWeights
    {
        public float[] Features { get; set; } = [];

        public float[] MlpWeights { get; set; } = [];
    }

    public sealed class Scores
    {
        public float[] Score { get; set; } = [];
    }

    [CustomMappingFactoryAttribute(Contract)]
    public sealed class KeyFactory : CustomMappingFactory<NoInput, KeyRow>
    {
        public const string Contract = "Custom.Mlp.Key.v1";

        public override Action<NoInput, KeyRow> GetMapping() => (_, output) => output.MlpKey = Key;
    }

    [CustomMappingFactoryAttribute(Contract)]
    public sealed class ScoreFactory : CustomMappingFactory<FeaturesAndWeights, Scores>
    {
        public const string Contract = "Custom.Mlp.Score.v1";

        public override Action<FeaturesAndWeights, Scores> GetMapping() => (input, output) =>
            output.Score = new MlpNetwork(input.MlpWeights).Probabilities(input.Features);
    }
}
