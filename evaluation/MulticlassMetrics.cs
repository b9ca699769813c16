using System.Globalization;
using Custom.Data.Selection;

namespace Custom.Evaluation;

/// <summary>
/// Multiclass figures for one model on one split, computed from true labels and class probabilities.
/// The predicted label is the most probable class (ties go to the lowest label, as in ML.NET).
/// </summary>
/// <remarks>
/// Definitions (K classes, n examples; "supported" classes have at least one true example):
/// <list type="bullet">
/// <item><see cref="Accuracy"/>: correct / n (ML.NET's MicroAccuracy).</item>
/// <item><see cref="BalancedAccuracy"/> = <see cref="MacroAccuracy"/>: mean recall over supported classes only, which is
/// exactly ML.NET's MacroAccuracy (it skips classes with no true example) and scikit-learn's balanced_accuracy_score.</item>
/// <item><see cref="MacroF1"/>: mean F1 over the classes that occur in the truth or in the predictions, like
/// scikit-learn's <c>f1_score(average='macro', zero_division=0)</c> without <c>labels=</c>. A class never seen and never
/// predicted has no defined F1 and is left out, so it neither drags the mean down nor props it up; a class that is seen
/// but never predicted (or predicted but never seen) counts with F1 = 0.</item>
/// <item><see cref="WeightedF1"/>: F1 averaged with each class weighted by its support.</item>
/// <item><see cref="LogLoss"/>: mean of −ln(p_true), with p_true clipped to [(float)1e-15, 1] in single precision,
/// exactly as ML.NET's evaluator does; the floor is the float nearest 1e-15 (≈1.0000000036e-15), so a zero
/// probability costs ≈34.538776 nats.</item>
/// </list>
/// </remarks>
public sealed class MulticlassMetrics
{
    // ML.NET's Epsilon is declared as (float)1e-15 and the clipping happens in float; matching it keeps log-loss equal.
    private const float ProbabilityFloor = 1e-15f;

    private MulticlassMetrics(ClassSet classes, int[][] confusion, double totalLogLoss, int count, double[] averagePrecision)
    {
        Classes = classes;
        Count = count;
        ConfusionMatrix = confusion;
        LogLoss = totalLogLoss / count;

        var perClass = new ClassMetrics[classes.Count];
        int correct = 0;
        double recallSum = 0, f1Sum = 0, weightedF1Sum = 0;
        int supported = 0, present = 0;
        for (int label = 0; label < classes.Count; label++)
        {
            int truePositives = confusion[label][label];
            int support = confusion[label].Sum();
            int predicted = confusion.Sum(row => row[label]);
            double precision = Ratio(truePositives, predicted);
            double recall = Ratio(truePositives, support);
            // 2TP / (2TP + FP + FN) equals 2PR / (P + R) and needs one division of exact integers.
            double f1 = Ratio(2 * truePositives, support + predicted);
            perClass[label] = new ClassMetrics(classes[label].Name, classes[label].Index, label, precision, recall, f1, support, averagePrecision[label]);

            correct += truePositives;
            weightedF1Sum += f1 * support;
            if (support > 0)
            {
                supported++;
                recallSum += recall;
            }

            if (support > 0 || predicted > 0)
            {
                present++;
                f1Sum += f1;
            }
        }

        PerClass = perClass;
        Accuracy = (double)correct / count;
        BalancedAccuracy = recallSum / supported;
        MacroF1 = f1Sum / present;
        WeightedF1 = weightedF1Sum / count;
    }

    /// <summary>The classes, in label order.</summary>
    public ClassSet Classes { get; }

    /// <summary>Number of examples.</summary>
    public int Count { get; }

    /// <summary>Fraction of examples whose predicted label is the true one (micro-averaged accuracy).</summary>
    public double Accuracy { get; }

    /// <summary>ML.NET's MacroAccuracy: mean recall over classes with support; the same value as <see cref="BalancedAccuracy"/>.</summary>
    public double MacroAccuracy => BalancedAccuracy;

    /// <summary>Mean recall over the classes that have at least one true example.</summary>
    public double BalancedAccuracy { get; }

    /// <summary>Mean F1 over the classes present in the truth or the predictions (see the remarks on the class).</summary>
    public double MacroF1 { get; }

    /// <summary>F1 averaged over classes weighted by support.</summary>
    public double WeightedF1 { get; }

    /// <summary>Mean −ln(p_true), p_true clipped to [(float)1e-15, 1] like ML.NET.</summary>
    public double LogLoss { get; }

    /// <summary>
    /// Decimal places of log-loss in the files (<see cref="ReportedLogLoss"/>). Log-loss is the one figure computed from
    /// floating-point probabilities, and two engines (ML.NET, ONNX Runtime) round a softmax differently in the last bits
    /// of a float, which moves the mean by ~1e-8; six decimals keep every figure reproducible from either engine.
    /// </summary>
    public const int LogLossDecimals = 6;

    /// <summary><see cref="LogLoss"/> rounded to <see cref="LogLossDecimals"/> places, as <c>metrics.json</c> and
    /// <c>leaderboard.json</c> store it.</summary>
    public double ReportedLogLoss => Math.Round(LogLoss, LogLossDecimals, MidpointRounding.ToEven);

    /// <summary>Figures per class, in label order.</summary>
    public IReadOnlyList<ClassMetrics> PerClass { get; }

    /// <summary>Counts: row = true label, column = predicted label, both in class-set order.</summary>
    public IReadOnlyList<IReadOnlyList<int>> ConfusionMatrix { get; }

    /// <summary>
    /// Computes the figures. <paramref name="truth"/>[i] is a label (a position in <paramref name="classes"/>);
    /// <paramref name="probabilities"/>[i] holds one finite, non-negative probability per class.
    /// </summary>
    /// <exception cref="ArgumentException">The counts differ, there are no examples, a row has the wrong length or a
    /// bad value, or a label is out of range; the message says which.</exception>
    public static MulticlassMetrics Compute(ClassSet classes, IReadOnlyList<int> truth, IReadOnlyList<float[]> probabilities)
    {
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(probabilities);
        if (truth.Count != probabilities.Count)
        {
            throw new ArgumentException($"{truth.Count} true labels but {probabilities.Count} probability rows: they must pair up", nameof(probabilities));
        }

        if (truth.Count == 0)
        {
            throw new ArgumentException("no examples: metrics need at least one", nameof(truth));
        }

        int k = classes.Count;
        var confusion = new int[k][];
        for (int label = 0; label < k; label++)
        {
            confusion[label] = new int[k];
        }

        double totalLogLoss = 0;
        for (int i = 0; i < truth.Count; i++)
        {
            int label = truth[i];
            if ((uint)label >= (uint)k)
            {
                throw new ArgumentException($"truth[{i}] is {label}: labels are class positions 0..{k - 1}", nameof(truth));
            }

            float[] row = CheckRow(probabilities[i], i, k, nameof(probabilities));
            confusion[label][ArgMax(row)]++;
            totalLogLoss += -Math.Log(Math.Min(1f, Math.Max(ProbabilityFloor, row[label])));
        }

        var averagePrecision = new double[k];
        for (int label = 0; label < k; label++)
        {
            averagePrecision[label] = AveragePrecision(truth, probabilities, label);
        }

        return new MulticlassMetrics(classes, confusion, totalLogLoss, truth.Count, averagePrecision);
    }

    // Σ over distinct scores, highest first, of (recall gained at that score) × (precision down to it): the step-wise
    // area scikit-learn's average_precision_score computes. Clips with equal scores enter together, so the order of
    // ties never matters.
    private static double AveragePrecision(IReadOnlyList<int> truth, IReadOnlyList<float[]> probabilities, int label)
    {
        int positives = truth.Count(t => t == label);
        if (positives == 0)
        {
            return 0;
        }

        var order = Enumerable.Range(0, truth.Count).OrderByDescending(i => probabilities[i][label]).ToArray();
        double area = 0;
        int seen = 0, hits = 0;
        while (seen < order.Length)
        {
            float score = probabilities[order[seen]][label];
            int newHits = 0;
            while (seen < order.Length && probabilities[order[seen]][label] == score)
            {
                newHits += truth[order[seen]] == label ? 1 : 0;
                seen++;
            }

            hits += newHits;
            area += (double)newHits / positives * hits / seen;
        }

        return area;
    }

    private static float[] CheckRow(float[]? row, int i, int k, string paramName)
    {
        if (row is null || row.Length != k)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"probabilities[{i}] has {row?.Length.ToString(CultureInfo.InvariantCulture) ?? "no"} entries: expected one per class ({k})"), paramName);
        }

        for (int j = 0; j < k; j++)
        {
            if (!float.IsFinite(row[j]) || row[j] < 0)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"probabilities[{i}][{j}] is {row[j]}: probabilities must be finite and not negative"), paramName);
            }
        }

        return row;
    }

    /// <summary>
    /// The predicted label of a probability row: its most probable class, the first (lowest) label on ties, like
    /// ML.NET's stable descending sort of the scores. The multiclass and open-set figures take their answer from here.
    /// </summary>
    /// <param name="row">Class probabilities in label order.</param>
    /// <returns>The label, 0 for an empty row.</returns>
    public static int ArgMax(ReadOnlySpan<float> row)
    {
        int best = 0;
        for (int j = 1; j < row.Length; j++)
        {
            if (row[j] > row[best])
            {
                best = j;
            }
        }

        return best;
    }

    private static double Ratio(int numerator, int denominator) => denominator == 0 ? 0 : (double)numerator / denominator;
}
