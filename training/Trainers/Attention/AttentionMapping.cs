using Microsoft.ML;
using Microsoft.ML.Transforms;

namespace Custom.Training.Trainers.Attention;

/// <summary>
/// A trained attention network as ML.NET transforms that save with <c>model.zip</c>: the packed weights are saved with
/// <see cref="ParameterMapping"/>, and a stateless custom mapping scores Features (flat) with them into Score.
/// </summary>
internal static class AttentionMapping
{
    private const string KeyColumn = nameof(KeyRow.AttentionKey);
    private const string WeightsColumn = nameof(FeaturesAndWeights.AttentionWeights);

    /// The transforms, fitted on <paramref name="features"/> (any view with the Features column).
    public static ITransformer Fit(MLContext ml, IDataView features, AttentionNetwork network) =>
        Estimator(ml, network).Fit(features);

    public static IEstimator<ITransformer> Estimator(MLContext ml, AttentionNetwork network) =>
        ParameterMapping.Estimator(ml, new KeyFactory(), KeyColumn, WeightsColumn, network.Packed, new ScoreFactory());

    /// Scores with the network held in memory: the same numbers as <see cref="Fit"/> without copying the weights into
    /// every row, for scoring inside a training session. Not saveable.
    public static ITransformer FitInMemory(MLContext ml, IDataView features, AttentionNetwork network) =>
        ml.Transforms.CustomMapping<FeaturesOnly, Scores>((input, output) => output.Score = network.Probabilities(input.Features), contractName: null)
            .Fit(features);

    public sealed class FeaturesOnly
    {
        public float[] Features { get; set; } = [];
    }

    public sealed class KeyRow : ParameterMapping.IKeyRow
    {
        public uint AttentionKey { get; set; }

        uint ParameterMapping.IKeyRow.Key
        {
            set => AttentionKey = value;
        }
    }

    public sealed class FeaturesAndWeights
    {
        public float[] Features { get; set; } = [];

        public float[] AttentionWeights { get; set; } = [];
    }

    public sealed class Scores
    {
        public float[] Score { get; set; } = [];
    }

    [CustomMappingFactoryAttribute("Custom.Attention.Key.v1")]
    public sealed class KeyFactory : ParameterMapping.KeyFactory<KeyRow>;

    [CustomMappingFactoryAttribute("Custom.Attention.Score.v1")]
    public sealed class ScoreFactory : CustomMappingFactory<FeaturesAndWeights, Scores>
    {
        public override Action<FeaturesAndWeights, Scores> GetMapping() => (input, output) =>
            output.Score = new AttentionNetwork(input.AttentionWeights).Probabilities(input.Features);
    }
}
