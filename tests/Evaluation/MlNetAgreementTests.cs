using Custom.Data.Selection;
using Custom.Evaluation;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Custom.Tests.Evaluation;

/// Our figures against ML.NET's own evaluator on the same predictions.
public sealed class MlNetAgreementTests
{
    private const int Classes = 4;

    private sealed class Row
    {
        [KeyType(Classes)]
        public uint Label { get; set; }

        [VectorType(Classes)]
        public float[] Score { get; set; } = [];

        [KeyType(Classes)]
        public uint PredictedLabel { get; set; }
    }

    private static readonly ClassSet FourClasses = new(ClassSet.Default.Take(Classes));

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)] // the last class never occurs in the truth: MacroAccuracy must skip it, as ML.NET does
    public void Accuracy_macro_accuracy_and_log_loss_agree_with_ml_net(int seed, bool lastClassNeverTrue)
    {
        var (truth, probabilities) = RandomPredictions(seed, 200, lastClassNeverTrue);
        var ours = MulticlassMetrics.Compute(FourClasses, truth, probabilities);
        var theirs = Evaluate(truth, probabilities);

        Assert.Equal(theirs.MicroAccuracy, ours.Accuracy, 1e-9);
        Assert.Equal(theirs.MacroAccuracy, ours.MacroAccuracy, 1e-9);
        Assert.Equal(theirs.LogLoss, ours.LogLoss, 1e-9);
        Assert.Equal(ToMatrix(theirs.ConfusionMatrix), ours.ConfusionMatrix.Select(r => r.ToArray()).ToArray());
        Assert.True(ours.LogLoss > 3, "the sample should hold enough confident mistakes for clipping to matter");
    }

    [Fact]
    public void Log_loss_clipping_matches_ml_net_exactly()
    {
        // Every true class gets probability 0 or a value below the floor, so every term is the clipped one:
        // a double 1e-15 floor would be 3.6e-9 off per example.
        int[] truth = [0, 1, 2, 3, 0, 1];
        float[][] probabilities = truth.Select(label => Enumerable.Range(0, Classes).Select(c => c == label ? 1e-20f : c == (label + 1) % Classes ? 1f : 0f).ToArray()).ToArray();
        var ours = MulticlassMetrics.Compute(FourClasses, truth, probabilities);
        var theirs = Evaluate(truth, probabilities);
        Assert.Equal(theirs.LogLoss, ours.LogLoss, 1e-12);
        Assert.Equal(0, ours.Accuracy);
    }

    private static MulticlassClassificationMetrics Evaluate(IReadOnlyList<int> truth, IReadOnlyList<float[]> probabilities)
    {
        var ml = new MLContext(seed: 0);
        // LoadFromEnumerable takes a [KeyType] uint as a 0-based position and stores raw key position + 1 (0 is missing),
        // so labels go in as they are. PredictedLabel is our argmax, though ML.NET's evaluator ranks Score itself.
        var rows = truth.Select((label, i) => new Row
        {
            Label = (uint)label,
            Score = probabilities[i],
            PredictedLabel = (uint)Array.IndexOf(probabilities[i], probabilities[i].Max()),
        });
        var data = ml.Data.LoadFromEnumerable(rows.ToList());
        Assert.Equal(truth.Select(label => (uint)label + 1), data.GetColumn<uint>("Label"));
        return ml.MulticlassClassification.Evaluate(data, labelColumnName: "Label", scoreColumnName: "Score", predictedLabelColumnName: "PredictedLabel");
    }

    private static int[][] ToMatrix(ConfusionMatrix matrix) =>
        matrix.Counts.Select(row => row.Select(x => (int)x).ToArray()).ToArray();

    private static (int[] Truth, float[][] Probabilities) RandomPredictions(int seed, int count, bool lastClassNeverTrue)
    {
        var random = new Random(seed);
        var truth = new int[count];
        var probabilities = new float[count][];
        for (int i = 0; i < count; i++)
        {
            truth[i] = random.Next(lastClassNeverTrue ? Classes - 1 : Classes);
            var p = new float[Classes];
            double kind = random.NextDouble();
            if (kind < 0.15)
            {
                // Very confident and wrong: the true class gets 0 or less than the 1e-15 floor.
                p[(truth[i] + 1 + random.Next(Classes - 1)) % Classes] = 1f;
                p[truth[i]] = random.Next(2) == 0 ? 0f : 1e-30f;
            }
            else if (kind < 0.2)
            {
                // An exact tie between two classes: both must pick the lower label.
                int a = random.Next(Classes), b = (a + 1 + random.Next(Classes - 1)) % Classes;
                p[a] = p[b] = 0.5f;
            }
            else
            {
                float total = 0;
                for (int c = 0; c < Classes; c++)
                {
                    p[c] = (float)Math.Exp(3 * random.NextDouble());
                    total += p[c];
                }

                for (int c = 0; c < Classes; c++)
                {
                    p[c] /= total;
                }
            }

            probabilities[i] = p;
        }

        return (truth, probabilities);
    }
}
