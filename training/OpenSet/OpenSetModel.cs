using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace Custom.Training.OpenSet;

/// <summary>
/// The open-set model in two parts: the closed model decides which of the K classes, and the open model (trained with
/// "other" as a (K+1)-th class) how likely the clip is none of them. With p the closed model's K probabilities and r
/// the open model's probability of "other", the answer's probabilities are p_k·(1 − r) for the K classes and r for
/// "other"; the calibrated multiplier on "other" (the score offsets' stage) then decides how readily it is answered.
/// The ten-class decisions are the closed model's exactly, unless the clip is answered "other".
/// </summary>
internal static class OpenSetModel
{
    private const string FeaturesCopy = "OpenSetFeatures";
    private const string ClosedScore = "OpenSetClosedScore";

    /// The combination of one row, in single precision as the ONNX graph computes it.
    public static float[] Combine(float[] closed, float[] open)
    {
        int known = closed.Length;
        float other = open[known];
        float rest = 1f - other;
        var combined = new float[known + 1];
        for (int k = 0; k < known; k++)
        {
            combined[k] = closed[k] * rest;
        }

        combined[known] = other;
        return combined;
    }

    public static float[][] Combine(IReadOnlyList<float[]> closed, IReadOnlyList<float[]> open) =>
        closed.Select((row, i) => Combine(row, open[i])).ToArray();

    /// Both fitted models as one ML.NET transformer from Features to Score: each model reads the features as given
    /// (a model's normalizer replaces the Features column, so a copy of it is restored for the second model).
    /// <paramref name="features"/> is any view with the Features column.
    public static ITransformer Compose(MLContext ml, IDataView features, ITransformer closed, ITransformer open)
    {
        var keep = ml.Transforms.CopyColumns(FeaturesCopy, Validation.FeatureTable.FeaturesColumn).Fit(features);
        var view = closed.Transform(keep.Transform(features));
        var saveScore = ml.Transforms.CopyColumns(ClosedScore, Validation.CandidateFit.ScoreColumn).Fit(view);
        view = saveScore.Transform(view);
        var restore = ml.Transforms.CopyColumns(Validation.FeatureTable.FeaturesColumn, FeaturesCopy).Fit(view);
        view = open.Transform(restore.Transform(view));
        var combine = ml.Transforms.CustomMapping(new CombineFactory().GetMapping(), CombineFactory.Contract).Fit(view);
        return new TransformerChain<ITransformer>(keep, closed, saveScore, restore, open, combine);
    }

    public sealed class Scores
    {
        public float[] OpenSetClosedScore { get; set; } = [];

        public float[] Score { get; set; } = [];
    }

    public sealed class CombinedScore
    {
        public float[] Score { get; set; } = [];
    }

    [CustomMappingFactoryAttribute(Contract)]
    public sealed class CombineFactory : CustomMappingFactory<Scores, CombinedScore>
    {
        public const string Contract = "Custom.OpenSet.Combine.v1";

        public override Action<Scores, CombinedScore> GetMapping() => (input, output) => output.Score = Combine(input.OpenSetClosedScore, input.Score);
    }
}
