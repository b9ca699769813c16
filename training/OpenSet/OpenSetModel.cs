using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace Custom.Training.OpenSet;

/// <summary>
/// The open-set model in two parts: the closed model decides which of the K classes, and the open model (trained with
/// "other" as a (K+1)-th class) how likely the clip is none of them. With p the closed model's K probabilities, a its
/// answer (the first of the highest p), r the open model's probability of "other" and m_a the calibrated multiplier
/// for that answer (<see cref="OtherCalibration"/>), the scores are p_k·(1 − r) for the K classes and r·m_a for
/// "other", renormalized to sum to 1. So "other" is answered when r·m_a > p_a·(1 − r); otherwise the closed model's
/// answer stands. One multiplier per answered class lets a class whose false answers are mostly none-clips give way
/// to "other" more readily than one whose answers are mostly right.
/// </summary>
internal static class OpenSetModel
{
    private const string FeaturesCopy = "OpenSetFeatures";
    private const string ClosedScore = "OpenSetClosedScore";
    private const string KeyColumn = nameof(KeyRow.OpenSetKey);
    private const string MultipliersColumn = nameof(Scores.OpenSetOtherMultipliers);

    /// The combination of one row, in single precision as the ONNX graph computes it: the one definition used in
    /// training, in model.zip and (as the same float operations) in ONNX.
    public static float[] Combine(float[] closed, float[] open, ReadOnlySpan<float> otherMultipliers)
    {
        int known = closed.Length;
        float other = open[known];
        float rest = 1f - other;
        var combined = new float[known + 1];
        float sum = 0f;
        for (int k = 0; k < known; k++)
        {
            combined[k] = closed[k] * rest;
            sum += combined[k];
        }

        combined[known] = other * otherMultipliers[Evaluation.MulticlassMetrics.ArgMax(closed)];
        sum += combined[known];
        if (sum > 0f)
        {
            for (int k = 0; k <= known; k++)
            {
                combined[k] /= sum;
            }
        }

        return combined;
    }

    public static float[][] Combine(IReadOnlyList<float[]> closed, IReadOnlyList<float[]> open, float[] otherMultipliers) =>
        closed.Select((row, i) => Combine(row, open[i], otherMultipliers)).ToArray();

    /// Multipliers of 1 for <paramref name="known"/> classes: the uncalibrated combination, which calibration starts from.
    public static float[] Unit(int known) => Enumerable.Repeat(1f, known).ToArray();

    /// Both fitted models and the combination as one ML.NET transformer from Features to Score: each model reads the
    /// features as given (a model's normalizer replaces the Features column, so a copy of it is restored for the second
    /// model), and the multipliers are saved with the model (<see cref="ParameterMapping"/>).
    /// <paramref name="features"/> is any view with the Features column.
    public static ITransformer Compose(MLContext ml, IDataView features, ITransformer closed, ITransformer open, float[] otherMultipliers)
    {
        var keep = ml.Transforms.CopyColumns(FeaturesCopy, Validation.FeatureTable.FeaturesColumn).Fit(features);
        var view = closed.Transform(keep.Transform(features));
        var saveScore = ml.Transforms.CopyColumns(ClosedScore, Validation.CandidateFit.ScoreColumn).Fit(view);
        view = saveScore.Transform(view);
        var restore = ml.Transforms.CopyColumns(Validation.FeatureTable.FeaturesColumn, FeaturesCopy).Fit(view);
        view = open.Transform(restore.Transform(view));
        var combine = ParameterMapping.Estimator(ml, new KeyFactory(), KeyColumn, MultipliersColumn, otherMultipliers, new CombineFactory()).Fit(view);
        return new TransformerChain<ITransformer>(keep, closed, saveScore, restore, open, combine);
    }

    public sealed class KeyRow : ParameterMapping.IKeyRow
    {
        public uint OpenSetKey { get; set; }

        uint ParameterMapping.IKeyRow.Key
        {
            set => OpenSetKey = value;
        }
    }

    public sealed class Scores
    {
        public float[] OpenSetClosedScore { get; set; } = [];

        public float[] Score { get; set; } = [];

        public float[] OpenSetOtherMultipliers { get; set; } = [];
    }

    public sealed class CombinedScore
    {
        public float[] Score { get; set; } = [];
    }

    [CustomMappingFactoryAttribute("Custom.OpenSet.Key.v1")]
    public sealed class KeyFactory : ParameterMapping.KeyFactory<KeyRow>;

    [CustomMappingFactoryAttribute("Custom.OpenSet.Combine.v2")]
    public sealed class CombineFactory : CustomMappingFactory<Scores, CombinedScore>
    {
        public override Action<Scores, CombinedScore> GetMapping() =>
            (input, output) => output.Score = Combine(input.OpenSetClosedScore, input.Score, input.OpenSetOtherMultipliers);
    }
}
