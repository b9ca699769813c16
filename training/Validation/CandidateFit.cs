using Custom.Training.Trainers;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Custom.Training.Validation;

/// Fits one candidate on rows of a feature table and scores other rows. Each fit gets its own seeded context, so
/// candidates can run on several threads and still give the same numbers every time.
internal static class CandidateFit
{
    public const string ScoreColumn = "Score";

    public static ITransformer Fit(Candidate candidate, FeatureTable table, IReadOnlyList<int> rows, int seed)
    {
        var ml = new MLContext(seed);
        return Estimator(ml, candidate, seed).Fit(table.View(ml, rows, candidate.Weighted));
    }

    public static IEstimator<ITransformer> Estimator(MLContext ml, Candidate candidate, int seed)
    {
        var columns = new TrainerColumns(FeatureTable.LabelColumn, FeatureTable.FeaturesColumn, candidate.Weighted ? FeatureTable.WeightColumn : null);
        var trainer = candidate.Trainer.Create(ml, columns, seed);
        // The cache holds the normalized rows: iterative trainers pass over the data many times, and without it every
        // pass normalized every row again (a third of the CPU time of the linear trainers).
        return candidate.Trainer.Normalize
            ? ml.Transforms.NormalizeMeanVariance(FeatureTable.FeaturesColumn).AppendCacheCheckpoint(ml).Append(trainer)
            : trainer;
    }

    /// Class probabilities (class-set order) for each row.
    public static float[][] Predict(ITransformer model, Candidate candidate, FeatureTable table, IReadOnlyList<int> rows, int seed)
    {
        var ml = new MLContext(seed);
        var scored = model.Transform(table.View(ml, rows, classWeighted: false));
        return Probabilities(scored);
    }

    /// The scored rows' class probabilities. Most trainers score with probabilities already; NaiveBayes scores with
    /// log-likelihoods, which a softmax turns into probabilities. One rule for every model keeps training,
    /// evaluation of a saved model and export in agreement.
    public static float[][] Probabilities(IDataView scored)
    {
        var scores = scored.GetColumn<float[]>(ScoreColumn).ToArray();
        foreach (var row in scores)
        {
            if (!IsDistribution(row))
            {
                Softmax(row);
            }
        }

        return scores;
    }

    internal static bool IsDistribution(float[] values)
    {
        double sum = 0;
        foreach (float v in values)
        {
            if (!(v >= 0f))
            {
                return false;
            }

            sum += v;
        }

        return Math.Abs(sum - 1) <= 1e-3;
    }

    internal static void Softmax(float[] values)
    {
        float max = values.Max();
        double sum = 0;
        for (int i = 0; i < values.Length; i++)
        {
            sum += Math.Exp(values[i] - max);
        }

        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(Math.Exp(values[i] - max) / sum);
        }
    }
}
