namespace Custom.Training.Offsets;

/// Per-class score offsets tuned for macro-F1 on out-of-fold predictions. Trainers minimize (weighted) log-loss, which
/// under heavy imbalance leaves the decision boundaries close to the majority class; adding δ_k to each class's
/// log-probability (p_k·e^δ_k, renormalized) moves them without refitting. δ comes from coordinate ascent over a fixed
/// grid, so it is deterministic; the first class keeps δ = 0, since only differences between offsets matter.
/// A move is taken only if it raises macro-F1 without lowering accuracy below the untuned model's on the same rows:
/// recall for rare classes is not bought with a worse headline accuracy.
internal static class ClassOffsets
{
    private const int GridSteps = 40;        // δ ∈ {−4.0, −3.9, …, 4.0}
    private const double GridStep = 0.1;
    private const int Rounds = 3;
    private const double LogFloor = -69;     // ln of ~1e-30: a zero probability stays finite and far below any other

    /// Multipliers e^δ_k (class-set order) that maximize macro-F1 of <paramref name="probabilities"/> against
    /// <paramref name="truth"/>.
    public static float[] Tune(IReadOnlyList<float[]> probabilities, IReadOnlyList<int> truth, int classCount)
    {
        var offsets = new double[classCount];
        if (classCount < 2)
        {
            return [1f];
        }

        var logs = probabilities.Select(row => row.Select(p => p > 0 ? Math.Max(LogFloor, Math.Log(p)) : LogFloor).ToArray()).ToArray();
        var search = new CoordinateSearch(logs, truth, classCount);
        search.PrepareFor(1, offsets);
        var (best, baseCorrect) = search.Score(1, offsets[1]);
        for (int round = 0; round < Rounds; round++)
        {
            for (int k = 1; k < classCount; k++)
            {
                search.PrepareFor(k, offsets);
                for (int step = -GridSteps; step <= GridSteps; step++)
                {
                    double candidate = step * GridStep;
                    var (score, correct) = search.Score(k, candidate);
                    if (score > best + 1e-12 && correct >= baseCorrect)
                    {
                        best = score;
                        offsets[k] = candidate;
                    }
                }
            }
        }

        return offsets.Select(d => (float)Math.Exp(d)).ToArray();
    }

    /// Applies multipliers in place: p_k ← p_k·w_k / Σ_j p_j·w_j. The one definition used in training, in model.zip
    /// and (as the same float operations) in the ONNX graph.
    public static void Apply(Span<float> probabilities, ReadOnlySpan<float> weights)
    {
        float sum = 0f;
        for (int k = 0; k < probabilities.Length; k++)
        {
            probabilities[k] *= weights[k];
            sum += probabilities[k];
        }

        if (sum > 0f)
        {
            for (int k = 0; k < probabilities.Length; k++)
            {
                probabilities[k] /= sum;
            }
        }
    }

    /// Copies of the rows with the multipliers applied.
    public static float[][] Applied(IReadOnlyList<float[]> probabilities, float[] weights) =>
        probabilities.Select(row =>
        {
            var copy = (float[])row.Clone();
            Apply(copy, weights);
            return copy;
        }).ToArray();

    /// Macro-F1 when one class's offset changes and the others stay: for each row the best other class is found
    /// once, so each grid point costs one pass over the rows.
    private sealed class CoordinateSearch(double[][] logs, IReadOnlyList<int> truth, int classCount)
    {
        private readonly double[] _otherBest = new double[logs.Length];
        private readonly int[] _otherClass = new int[logs.Length];
        private readonly int[] _tp = new int[classCount];
        private readonly int[] _fp = new int[classCount];
        private readonly int[] _fn = new int[classCount];

        public void PrepareFor(int k, double[] offsets)
        {
            for (int i = 0; i < logs.Length; i++)
            {
                double best = double.NegativeInfinity;
                int at = -1;
                for (int j = 0; j < classCount; j++)
                {
                    double v = logs[i][j] + offsets[j];
                    if (j != k && v > best)
                    {
                        best = v;
                        at = j;
                    }
                }

                _otherBest[i] = best;
                _otherClass[i] = at;
            }
        }

        /// Macro-F1 and correct predictions with class <paramref name="k"/> (the one last prepared for) at offset
        /// <paramref name="value"/>. Ties go to the lower class position, as in prediction.
        public (double MacroF1, int Correct) Score(int k, double value)
        {
            Array.Clear(_tp);
            Array.Clear(_fp);
            Array.Clear(_fn);
            for (int i = 0; i < logs.Length; i++)
            {
                double v = logs[i][k] + value;
                int predicted = v > _otherBest[i] || (v == _otherBest[i] && k < _otherClass[i]) ? k : _otherClass[i];

                int t = truth[i];
                if (predicted == t)
                {
                    _tp[t]++;
                }
                else
                {
                    _fp[predicted]++;
                    _fn[t]++;
                }
            }

            double sum = 0;
            int counted = 0;
            for (int c = 0; c < classCount; c++)
            {
                int denominator = 2 * _tp[c] + _fp[c] + _fn[c];
                if (denominator > 0)
                {
                    sum += 2.0 * _tp[c] / denominator;
                    counted++;
                }
            }

            return (counted == 0 ? 0 : sum / counted, _tp.Sum());
        }
    }
}
