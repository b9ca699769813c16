using System.Numerics.Tensors;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Custom.Training.Trainers;

/// The pieces the catalog's own networks (mlp, attention) train with alike, defined once: their training rows, class
/// weights, input standardization and its folding into the first layer, seeded Gaussian initialisation and dropout draws.
internal static class NetworkTraining
{
    /// The Features and Label columns of <paramref name="input"/> as rows, class positions and the class count.
    public static (float[][] Features, int[] Labels, int Classes) Rows(IDataView input, TrainerColumns columns)
    {
        var labelType = input.Schema[columns.Label].Type as KeyDataViewType
            ?? throw new ArgumentException($"column {columns.Label} must be a key");
        var features = input.GetColumn<float[]>(columns.Features).ToArray();
        // Keys count from 1 (0 is "missing"); the class position is key − 1.
        var labels = input.GetColumn<uint>(columns.Label).Select(key => (int)key - 1).ToArray();
        return (features, labels, (int)labelType.Count);
    }

    /// Each class weighs (n / (classes present · count))^exponent; a batch's gradient is divided by its total weight,
    /// so only the ratios matter.
    public static float[] ClassWeights(IReadOnlyList<int> labels, int classes, double exponent)
    {
        var counts = new int[classes];
        foreach (int label in labels)
        {
            counts[label]++;
        }

        int present = counts.Count(c => c > 0);
        return counts.Select(c => c == 0 ? 0f : (float)Math.Pow(labels.Count / (double)(present * c), exponent)).ToArray();
    }

    /// <paramref name="count"/> draws of a zero-mean Gaussian with the given deviation (Box–Muller on a seeded Random).
    public static float[] Gaussian(Random random, int count, float deviation)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            double u1 = 1 - random.NextDouble();
            double u2 = random.NextDouble();
            values[i] = (float)(Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2)) * deviation;
        }

        return values;
    }

    /// Per-feature mean and 1 / standard deviation of rows of <paramref name="inputs"/> features.
    public static (float[] Mean, float[] Scale) Standardization(IReadOnlyList<float[]> features, int inputs) =>
        Standardization(features, Enumerable.Repeat(1, features.Count).ToArray(), inputs);

    /// Per-dimension mean and 1 / standard deviation over every real frame: row i holds <paramref name="counts"/>[i]
    /// frames of <paramref name="frameSize"/> first. A dimension constant in training gets scale 0, so it is ignored
    /// rather than blown up when it varies later.
    public static (float[] Mean, float[] Scale) Standardization(IReadOnlyList<float[]> features, int[] counts, int frameSize)
    {
        var mean = new double[frameSize];
        var square = new double[frameSize];
        long frames = 0;
        for (int i = 0; i < features.Count; i++)
        {
            for (int t = 0; t < counts[i]; t++)
            {
                for (int j = 0; j < frameSize; j++)
                {
                    double x = features[i][t * frameSize + j];
                    mean[j] += x;
                    square[j] += x * x;
                }
            }

            frames += counts[i];
        }

        var scale = new float[frameSize];
        for (int j = 0; j < frameSize; j++)
        {
            mean[j] /= frames;
            double variance = square[j] / frames - mean[j] * mean[j];
            scale[j] = variance > 1e-12 ? (float)(1 / Math.Sqrt(variance)) : 0f;
        }

        return (mean.Select(m => (float)m).ToArray(), scale);
    }

    /// W · ((x − m) ⊙ s) + b = (W ⊙ s) · x + (b − (W ⊙ s) · m): the saved network takes raw inputs, so scoring,
    /// model.zip and ONNX need no separate normalizer. <paramref name="w"/> is row-major, one row of
    /// <paramref name="inputs"/> per unit of <paramref name="b"/>.
    public static void FoldStandardization(Span<float> w, Span<float> b, float[] mean, float[] scale, int inputs)
    {
        for (int u = 0; u < b.Length; u++)
        {
            var row = w.Slice(u * inputs, inputs);
            TensorPrimitives.Multiply(row, scale, row);
            b[u] -= TensorPrimitives.Dot(row, mean);
        }
    }
}

/// Dropout takes a uniform draw per active unit per row, millions per fit; a seeded System.Random (its legacy
/// generator) spent a tenth of the training time on them. Xorshift32, seeded from that Random, is plenty for masks.
internal struct DropoutDraws(uint state)
{
    private uint _state = state;

    public float NextSingle()
    {
        _state ^= _state << 13;
        _state ^= _state >> 17;
        _state ^= _state << 5;
        return (_state >> 8) * (1f / (1 << 24));
    }
}
