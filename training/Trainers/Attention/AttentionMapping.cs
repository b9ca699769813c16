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

    [CustomMappingFactoryAttribute("Custom.Attention.Key.v1")]
    public sealed class KeyFactory : ParameterMapping.KeyFactory<KeyRow>;

    [CustomMappingFactoryAttribute("Custom.Attention.Score.v1")]
    public sealed class ScoreFactory : CustomMappingFactory<FeaturesAndWeights, NetworkScoring.Scores>
    {
        public override Action<FeaturesAndWeights, NetworkScoring.Scores> GetMapping() => (input, output) =>
            output.Score = new AttentionNetwork(input.AttentionWeights).Probabilities(input.Features);
    }
}
