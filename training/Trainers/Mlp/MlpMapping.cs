using Microsoft.ML;
using Microsoft.ML.Transforms;

namespace Custom.Training.Trainers.Mlp;

/// <summary>
/// A trained perceptron as ML.NET transforms that save with <c>model.zip</c>: the packed weights are saved with
/// <see cref="ParameterMapping"/>, and a stateless custom mapping scores Features with them into Score.
/// </summary>
internal static class MlpMapping
{
    private const string KeyColumn = nameof(KeyRow.MlpKey);
    private const string WeightsColumn = nameof(FeaturesAndWeights.MlpWeights);

    /// The transforms, fitted on <paramref name="features"/> (any view with the Features column).
    public static ITransformer Fit(MLContext ml, IDataView features, MlpNetwork network) =>
        Estimator(ml, network).Fit(features);

    public static IEstimator<ITransformer> Estimator(MLContext ml, MlpNetwork network) =>
        ParameterMapping.Estimator(ml, new KeyFactory(), KeyColumn, WeightsColumn, network.Packed, new ScoreFactory());

    public sealed class KeyRow : ParameterMapping.IKeyRow
    {
        public uint MlpKey { get; set; }

        uint ParameterMapping.IKeyRow.Key
        {
            set => MlpKey = value;
        }
    }

    public sealed class FeaturesAndWeights
    {
        public float[] Features { get; set; } = [];

        public float[] MlpWeights { get; set; } = [];
    }

    [CustomMappingFactoryAttribute("Custom.Mlp.Key.v1")]
    public sealed class KeyFactory : ParameterMapping.KeyFactory<KeyRow>;

    [CustomMappingFactoryAttribute("Custom.Mlp.Score.v1")]
    public sealed class ScoreFactory : CustomMappingFactory<FeaturesAndWeights, NetworkScoring.Scores>
    {
        public override Action<FeaturesAndWeights, NetworkScoring.Scores> GetMapping() => (input, output) =>
            output.Score = new MlpNetwork(input.MlpWeights).Probabilities(input.Features);
    }
}
