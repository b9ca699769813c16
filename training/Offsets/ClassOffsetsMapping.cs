using Microsoft.ML;
using Microsoft.ML.Transforms;

namespace Custom.Training.Offsets;

/// <summary>
/// Tuned class offsets as ML.NET transforms appended to a saved model, so <c>model.zip</c> scores exactly as training
/// did. ML.NET offers no public transform with fixed parameters, so the multipliers live in a one-entry value mapping
/// (saved with the model) that a constant key column looks up; a stateless custom mapping then applies them to Score.
/// Loading needs this assembly registered, as for the featurizer (<see cref="SavedModel.Load"/>).
/// </summary>
internal static class ClassOffsetsMapping
{
    private const string KeyColumn = "ClassOffsetsKey";
    private const string WeightsColumn = "ClassOffsetsWeights";
    private const uint Key = 1;

    /// The transforms, fitted on <paramref name="scored"/> (any view with the model's Score column).
    public static ITransformer Fit(MLContext ml, IDataView scored, float[] weights) =>
        ml.Transforms.CustomMapping(new KeyFactory().GetMapping(), KeyFactory.Contract)
            .Append(ml.Transforms.Conversion.MapValue(WeightsColumn, [new KeyValuePair<uint, float[]>(Key, weights)], KeyColumn))
            .Append(ml.Transforms.CustomMapping(new ApplyFactory().GetMapping(), ApplyFactory.Contract))
            .Fit(scored);

    public sealed class NoInput;

    public sealed class KeyRow
    {
        public uint ClassOffsetsKey { get; set; }
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

    [CustomMappingFactoryAttribute(Contract)]
    public sealed class KeyFactory : CustomMappingFactory<NoInput, KeyRow>
    {
        public const string Contract = "Custom.ClassOffsets.Key.v1";

        public override Action<NoInput, KeyRow> GetMapping() => (_, output) => output.ClassOffsetsKey = Key;
    }

    [CustomMappingFactoryAttribute(Contract)]
    public sealed class ApplyFactory : CustomMappingFactory<ScoreAndWeights, AdjustedScore>
    {
        public const string Contract = "Custom.ClassOffsets.Apply.v1";

        public override Action<ScoreAndWeights, AdjustedScore> GetMapping() => (input, output) =>
        {
            var adjusted = (float[])input.Score.Clone();
            ClassOffsets.Apply(adjusted, input.ClassOffsetsWeights);
            output.Score = adjusted;
        };
    }
}
