using Custom.Evaluation;

namespace Custom.Training.OpenSet;

/// <summary>
/// Chooses how readily an open-set model answers "other" (the last class): a multiplier on its probability for each
/// class the closed model may answer (<see cref="OpenSetModel"/>), chosen on out-of-fold predictions of the training
/// split only. The choice maximizes (K+1)-class macro-F1 over every row, on condition that the K-class figures on the
/// selected rows (an "other" answer counting wrong) stay within a given drop of the closed model's on the same rows
/// (<see cref="TrainingOptions.OpenSetMaxDrop"/>): rejecting none-clips is not bought with the ten classes' figures. The search starts from the best single
/// multiplier for all classes, then moves one class's multiplier at a time over the same grid (coordinate ascent,
/// <see cref="Rounds"/> passes), taking a move only when it raises the macro-F1 and keeps the condition; so it is
/// deterministic and never worse, on the rows it is tuned on, than one multiplier.
/// </summary>
internal static class OtherCalibration
{
    private const int GridSteps = 60;        // δ ∈ {−6.0, −5.9, …, 6.0}
    private const double GridStep = 0.1;
    private const int Rounds = 2;

    /// K-class figures of a closed model (or any reference) on selected rows.
    public readonly record struct KnownFigures(double MacroF1, double Accuracy);

    /// The multipliers e^δ for "other", one per class the closed model answers. <paramref name="probabilities"/> rows
    /// are <see cref="OpenSetModel.Combine(float[], float[], ReadOnlySpan{float})"/> with unit multipliers (K+1
    /// values); <paramref name="truth"/> is a position below K for a selected row and K for a none-row;
    /// <paramref name="reference"/> the closed model's figures on the selected rows among them; <paramref name="maxDrop"/>
    /// how far below them the K-class figures may fall.
    public static float[] Tune(IReadOnlyList<float[]> probabilities, IReadOnlyList<int> truth, KnownFigures reference, double maxDrop)
    {
        var scorer = new Scorer(probabilities, truth);
        int known = scorer.Known;
        double Slack(KnownFigures figures) =>
            Math.Min(figures.MacroF1 - (reference.MacroF1 - maxDrop), figures.Accuracy - (reference.Accuracy - maxDrop));

        double bestScore = double.NegativeInfinity, bestSlack = double.NegativeInfinity;
        double chosen = 0, fallback = -GridSteps * GridStep;
        bool feasible = false;
        for (int step = -GridSteps; step <= GridSteps; step++)
        {
            double delta = step * GridStep;
            var (openF1, figures) = scorer.Score(Uniform(known, Math.Exp(delta)));
            double slack = Slack(figures);
            if (slack >= 0 && openF1 > bestScore + 1e-12)
            {
                feasible = true;
                bestScore = openF1;
                chosen = delta;
            }

            // When no multiplier keeps the K-class figures within reach, the one that comes closest.
            if (slack > bestSlack + 1e-12)
            {
                bestSlack = slack;
                fallback = delta;
            }
        }

        // Without a feasible single multiplier, the closest one stands for every class: no move could keep the bound.
        var multipliers = Uniform(known, Math.Exp(feasible ? chosen : fallback));
        for (int round = 0; feasible && round < Rounds; round++)
        {
            for (int c = 0; c < known; c++)
            {
                double kept = multipliers[c];
                for (int step = -GridSteps; step <= GridSteps; step++)
                {
                    multipliers[c] = Math.Exp(step * GridStep);
                    var (openF1, figures) = scorer.Score(multipliers);
                    if (Slack(figures) >= 0 && openF1 > bestScore + 1e-12)
                    {
                        bestScore = openF1;
                        kept = multipliers[c];
                    }
                }

                multipliers[c] = kept;
            }
        }

        return multipliers.Select(m => (float)m).ToArray();
    }

    /// One multiplier's out-of-fold figures: (K+1)-class macro-F1, the K-class figures on the selected rows, and the
    /// share of none-rows given one of the K classes.
    public readonly record struct Point(double Weight, double MacroF1, KnownFigures Known, double NoneGivenKnownShare);

    /// The figures of multipliers e^δ, δ from −6 to 6 in steps of 0.5: the trade-off the calibration chooses on.
    public static IReadOnlyList<Point> Curve(IReadOnlyList<float[]> probabilities, IReadOnlyList<int> truth)
    {
        var scorer = new Scorer(probabilities, truth);
        return Enumerable.Range(-12, 25).Select(step =>
        {
            double weight = Math.Exp(step * 0.5);
            var (openF1, known) = scorer.Score(Uniform(scorer.Known, weight));
            return new Point(weight, openF1, known, scorer.NoneGivenKnownShare(weight));
        }).ToList();
    }

    /// K-class macro-F1 and accuracy on the selected rows (truth below K) of rows with K or K+1 values.
    public static KnownFigures Known(IReadOnlyList<float[]> probabilities, IReadOnlyList<int> truth, int knownClasses)
    {
        var padded = probabilities.Select(p => p.Length == knownClasses ? [.. p, 0f] : p).ToArray();
        return new Scorer(padded, truth).Score(Uniform(knownClasses, 1)).Known;
    }

    private static double[] Uniform(int known, double weight) => Enumerable.Repeat(weight, known).ToArray();

    /// Scores multipliers: the answer is "other" when m_a·p_other beats the best of the K classes a (ties to the lower
    /// class, as in prediction), otherwise a, found once per row.
    private sealed class Scorer
    {
        private readonly double[] _other;
        private readonly double[] _bestKnown;
        private readonly int[] _bestClass;
        private readonly IReadOnlyList<int> _truth;

        public Scorer(IReadOnlyList<float[]> probabilities, IReadOnlyList<int> truth)
        {
            _truth = truth;
            Known = probabilities.Count == 0 ? 0 : probabilities[0].Length - 1;
            _other = new double[probabilities.Count];
            _bestKnown = new double[probabilities.Count];
            _bestClass = new int[probabilities.Count];
            for (int i = 0; i < probabilities.Count; i++)
            {
                var row = probabilities[i];
                int best = MulticlassMetrics.ArgMax(row.AsSpan(0, Known));
                _bestClass[i] = best;
                _bestKnown[i] = row[best];
                _other[i] = row[Known];
            }
        }

        public int Known { get; }

        public double NoneGivenKnownShare(double weight)
        {
            int none = 0, given = 0;
            for (int i = 0; i < _truth.Count; i++)
            {
                if (_truth[i] == Known)
                {
                    none++;
                    given += _other[i] * weight > _bestKnown[i] ? 0 : 1;
                }
            }

            return none == 0 ? 0 : (double)given / none;
        }

        public (double OpenMacroF1, KnownFigures Known) Score(IReadOnlyList<double> multipliers)
        {
            int classes = Known + 1;
            var tp = new int[classes];
            var fp = new int[classes];
            var fn = new int[classes];
            var knownFp = new int[classes];
            int selected = 0, selectedCorrect = 0;
            for (int i = 0; i < _truth.Count; i++)
            {
                int answer = _other[i] * multipliers[_bestClass[i]] > _bestKnown[i] ? Known : _bestClass[i];
                int t = _truth[i];
                if (t < Known)
                {
                    selected++;
                    selectedCorrect += answer == t ? 1 : 0;
                    if (answer != t && answer < Known)
                    {
                        knownFp[answer]++;
                    }
                }

                if (answer == t)
                {
                    tp[t]++;
                }
                else
                {
                    fp[answer]++;
                    fn[t]++;
                }
            }

            // Macro-F1 over the classes present in the truth or the answers, as MulticlassMetrics defines it; on the
            // selected rows the K classes' errors are the answers of other selected rows (knownFp) and the misses.
            double openSum = 0, knownSum = 0;
            int openPresent = 0, knownPresent = 0;
            for (int c = 0; c < classes; c++)
            {
                int denominator = 2 * tp[c] + fp[c] + fn[c];
                if (denominator > 0)
                {
                    openSum += 2.0 * tp[c] / denominator;
                    openPresent++;
                }

                if (c < Known)
                {
                    int knownDenominator = 2 * tp[c] + knownFp[c] + fn[c];
                    if (knownDenominator > 0)
                    {
                        knownSum += 2.0 * tp[c] / knownDenominator;
                        knownPresent++;
                    }
                }
            }

            var known = new KnownFigures(knownPresent == 0 ? 0 : knownSum / knownPresent, selected == 0 ? 0 : (double)selectedCorrect / selected);
            return (openPresent == 0 ? 0 : openSum / openPresent, known);
        }
    }
}
