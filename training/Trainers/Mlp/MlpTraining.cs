using System.Numerics.Tensors;

namespace Custom.Training.Trainers.Mlp;

/// Trains <see cref="MlpNetwork"/>: <see cref="Members"/> networks of <see cref="HiddenUnits"/> ReLU units, each by
/// mini-batch Adam with a cosine-decayed step, dropout on the hidden layer, an L2 penalty and weight decay on the weight
/// matrices, and a cross-entropy loss in which each class weighs (1 / frequency)^½; then their average as one network. Single-threaded
/// and driven by seeded generators, so a seed gives the same network every time on the same machine.
internal static class MlpTraining
{
    public const int HiddenUnits = 256;
    public const int Epochs = 40;
    public const int BatchSize = 64;
    public const float LearningRate = 1e-3f;
    public const float WeightDecay = 1e-4f;

    /// The L2 penalty's gradient λ·W, added to the batch's mean loss gradient before Adam scales it (scikit-learn's
    /// alpha / batch size). Chosen by 5-fold out-of-fold macro-F1 on bal_train (mean features, seed 42, three
    /// networks): λ = 0 → 0.617, 0.0015 → 0.617, 0.003 → 0.617, 0.005 → 0.620, 0.015 → 0.609.
    public const float L2 = 0.005f;
    public const float Dropout = 0.2f;

    /// Networks trained from consecutive seeds and averaged (their logits), which steadies the result: in 5-fold
    /// cross-validation on bal_train (mean features), one network scored out-of-fold macro-F1 0.608–0.616 over four
    /// seeds, three averaged 0.619, five 0.620.
    public const int Members = 3;

    /// The exponent of the class weights. Chosen by 5-fold out-of-fold macro-F1 on bal_train (mean features, seed 42):
    /// 0 → 0.590, ¼ → 0.603, ½ → 0.610, 1 → 0.583. Full inverse frequency, as the catalog's "+weighted" variants use,
    /// overshoots here as it does for L-BFGS.
    public const double ClassWeightExponent = 0.5;

    public static MlpNetwork Train(IReadOnlyList<float[]> features, IReadOnlyList<int> labels, int classes, int seed)
    {
        if (features.Count == 0)
        {
            throw new ArgumentException("no training rows");
        }

        int inputs = features[0].Length;
        var (mean, scale) = NetworkTraining.Standardization(features, inputs);
        var rows = features.Select(x => Standardize(x, mean, scale)).ToArray();
        var classWeights = NetworkTraining.ClassWeights(labels, classes, ClassWeightExponent);
        var members = Enumerable.Range(0, Members).Select(m => TrainOne(rows, labels, classWeights, classes, seed + m)).ToList();

        // The mean of the members' logits is itself one network: their hidden units side by side, the output
        // weights divided by the member count.
        int hidden = Members * HiddenUnits;
        var w1 = members.SelectMany(m => m.W1).ToArray();
        var b1 = members.SelectMany(m => m.B1).ToArray();
        var w2 = new float[classes * hidden];
        var b2 = new float[classes];
        for (int m = 0; m < Members; m++)
        {
            for (int k = 0; k < classes; k++)
            {
                var source = members[m].W2.AsSpan(k * HiddenUnits, HiddenUnits);
                TensorPrimitives.Divide(source, Members, w2.AsSpan(k * hidden + m * HiddenUnits, HiddenUnits));
                b2[k] += members[m].B2[k] / Members;
            }
        }

        NetworkTraining.FoldStandardization(w1, b1, mean, scale, inputs);
        return MlpNetwork.Pack(inputs, hidden, classes, w1, b1, w2, b2);
    }

    private static (float[] W1, float[] B1, float[] W2, float[] B2) TrainOne(float[][] rows, IReadOnlyList<int> labels, float[] classWeights, int classes, int seed)
    {
        int inputs = rows[0].Length;
        var random = new Random(seed);

        // He initialisation for the ReLU layer, Glorot-like for the softmax layer; biases start at zero.
        var w1 = NetworkTraining.Gaussian(random, HiddenUnits * inputs, MathF.Sqrt(2f / inputs));
        var b1 = new float[HiddenUnits];
        var w2 = NetworkTraining.Gaussian(random, classes * HiddenUnits, MathF.Sqrt(1f / HiddenUnits));
        var b2 = new float[classes];
        var parameters = new[] { w1, b1, w2, b2 };
        var decays = new[] { true, false, true, false };
        var gradients = parameters.Select(p => new float[p.Length]).ToArray();
        var moments = parameters.Select(p => new float[p.Length]).ToArray();
        var squares = parameters.Select(p => new float[p.Length]).ToArray();

        var hidden = new float[HiddenUnits];
        var keep = new float[HiddenUnits];
        var output = new float[classes];
        var hiddenGradient = new float[HiddenUnits];
        var batchGradients = new float[BatchSize * HiddenUnits];
        var batchRows = new float[BatchSize][];
        var order = Enumerable.Range(0, rows.Length).ToArray();
        var dropout = new DropoutDraws((uint)random.Next() | 1u);
        int step = 0;
        for (int epoch = 0; epoch < Epochs; epoch++)
        {
            random.Shuffle(order);
            float rate = LearningRate * (float)(0.5 * (1 + Math.Cos(Math.PI * epoch / Epochs)));
            for (int start = 0; start < order.Length; start += BatchSize)
            {
                // The first layer's gradient needs no clearing: WeightedSums below writes all of it.
                foreach (var g in gradients[1..])
                {
                    Array.Clear(g);
                }

                int batch = Math.Min(BatchSize, order.Length - start);
                float batchWeight = 0;
                for (int b = 0; b < batch; b++)
                {
                    int row = order[start + b];
                    float weight = classWeights[labels[row]];
                    batchWeight += weight;
                    Forward(rows[row], w1, b1, w2, b2, hidden, keep, output, ref dropout);

                    // d(loss)/d(logits) = weight · (p − onehot).
                    for (int k = 0; k < classes; k++)
                    {
                        output[k] = weight * (output[k] - (k == labels[row] ? 1f : 0f));
                    }

                    Array.Clear(hiddenGradient);
                    for (int k = 0; k < classes; k++)
                    {
                        gradients[3][k] += output[k];
                        var gw2 = gradients[2].AsSpan(k * HiddenUnits, HiddenUnits);
                        TensorPrimitives.MultiplyAdd(hidden, output[k], gw2, gw2);
                        TensorPrimitives.MultiplyAdd(w2.AsSpan(k * HiddenUnits, HiddenUnits), output[k], hiddenGradient, hiddenGradient);
                    }

                    // The first layer's gradient is one sum over the whole batch, taken below.
                    TensorPrimitives.Multiply(hiddenGradient, keep, hiddenGradient);
                    TensorPrimitives.Add(gradients[1], hiddenGradient, gradients[1]);
                    for (int u = 0; u < HiddenUnits; u++)
                    {
                        batchGradients[u * BatchSize + b] = hiddenGradient[u];
                    }

                    batchRows[b] = rows[row];
                }

                MlpKernels.WeightedSums(batchGradients, BatchSize, batchRows.AsSpan(0, batch), gradients[0]);

                step++;
                for (int p = 0; p < parameters.Length; p++)
                {
                    // Weight matrices take the L2 penalty inside the gradient, so Adam rescales it, and the decay outside it.
                    Adam.Step(parameters[p], gradients[p], moments[p], squares[p], step, 1 / batchWeight, rate, decays[p] ? L2 : 0f, decays[p] ? WeightDecay : 0f);
                }
            }
        }

        return (w1, b1, w2, b2);
    }

    // Training forward pass: hidden activations with inverted dropout (keep[u] is the gradient mask: 0 or 1/(1 − p)),
    // and class probabilities in output.
    private static void Forward(float[] x, float[] w1, float[] b1, float[] w2, float[] b2, float[] hidden, float[] keep, float[] output, ref DropoutDraws dropout)
    {
        int inputs = x.Length;
        MlpKernels.Affine(w1, b1, x, hidden);
        for (int u = 0; u < hidden.Length; u++)
        {
            float a = hidden[u];
            // A unit ReLU silences needs no dropout draw.
            keep[u] = a > 0 && dropout.NextSingle() >= Dropout ? 1f / (1 - Dropout) : 0f;
            hidden[u] = a * keep[u];
        }

        MlpKernels.Affine(w2, b2, hidden, output);
        MlpNetwork.Softmax(output);
    }

    private static float[] Standardize(float[] x, float[] mean, float[] scale)
    {
        var result = new float[x.Length];
        for (int j = 0; j < x.Length; j++)
        {
            result[j] = (x[j] - mean[j]) * scale[j];
        }

        return result;
    }
}
