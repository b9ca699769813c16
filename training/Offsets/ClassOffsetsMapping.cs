using Microsoft.ML;
using Microsoft.ML.Transforms;

namespace Custom.Training.Offsets;

/// <summary>
/// Tuned class offsets as ML.NET transforms appended to a saved model, so <c>model.zip</c> scores exactly as training
/// did: the multipliers are saved with <see cref="ParameterMapping"/>, and a stateless custom mapping applies them to Score.
/// </summary>
internal static class ClassOffsetsMapping
{
    private const string KeyColumn = nameof(KeyRow.ClassOffsetsKey);
    private const string WeightsColumn = nameof(ScoreAndWeights.ClassOffsetsWeights);

    /// The transforms, fitted on <paramref name="scored"/> (any view with the model's Score column).
    public static ITransformer Fit(MLContext ml, IDataView scored, float[] weights) =>
        ParameterMapping.Estimator(ml, new KeyFactory(), KeyColumn, WeightsColumn, weights, new ApplyFactory()).Fit(scored);

    public sealed class KeyRow : ParameterMapping.IKeyRow
    {
        public uint ClassOffsetsKey { get; set; }

        uint ParameterMapping.IKeyRow.Key
        {
            set => ClassOffsetsKey = value;
        }
    }

    public sealed class ScoreAndWeights
    {
        public float[] Score { get; set; } = [];

        public float[] ClassOffsetsWeights { get; set; } = [];
    }

    public sealed class AdjustedScore
    {
        public float[] Score { get; set; } = [];
    }

    [CustomMappingFactoryAttribute("Custom.ClassOffsets.Key.v1")]
    public sealed class KeyFactory : ParameterMapping.KeyFactory<KeyRow>;

    [CustomMappingFactoryAttribute("Custom.ClassOffsets.Apply.v1")]
    public sealed class ApplyFactory : CustomMappingFactory<ScoreAndWeights, AdjustedScore>
    {
        public override Action<ScoreAndWeights, AdjustedScore> GetMapping() => (input, output) =>
        {
            var adjusted = (float[])input.Score.Clone();
            ClassOffsets.Apply(adjusted, input.ClassOffsetsWeights);
            output.Score = adjusted;
        };
    }
}
