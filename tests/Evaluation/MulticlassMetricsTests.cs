using Custom.Data.Selection;
using Custom.Evaluation;

namespace Custom.Tests.Evaluation;

public sealed class MulticlassMetricsTests
{
    private const double Tolerance = 1e-12;

    [Fact]
    public void Hand_computed_case_gives_the_expected_figures()
    {
        var m = SmallCase.Metrics();

        // Rows = truth, columns = predicted. A: #0 A, #1 A, #2 B, #7 A (tie). B: #3 B, #4 A. C: #5 A, #6 B.
        Assert.Equal([[3, 1, 0], [1, 1, 0], [1, 1, 0]], m.ConfusionMatrix.Select(r => r.ToArray()).ToArray());
        Assert.Equal(8, m.Count);

        // A: TP 3, predicted 5, support 4 → P 3/5, R 3/4, F1 2·3/(4+5) = 2/3.
        // B: TP 1, predicted 3, support 2 → P 1/3, R 1/2, F1 2·1/(2+3) = 2/5.
        // C: TP 0, predicted 0, support 2 → P 0 (0/0), R 0, F1 0.
        AssertClass(m.PerClass[0], "A", 0, 0, 3.0 / 5, 3.0 / 4, 2.0 / 3, 4);
        AssertClass(m.PerClass[1], "B", 5, 1, 1.0 / 3, 1.0 / 2, 2.0 / 5, 2);
        AssertClass(m.PerClass[2], "C", 9, 2, 0, 0, 0, 2);

        Assert.Equal(4.0 / 8, m.Accuracy, Tolerance);                      // diagonal 3 + 1 + 0
        Assert.Equal(16.0 / 45, m.MacroF1, Tolerance);                     // (2/3 + 2/5 + 0) / 3
        Assert.Equal(5.0 / 12, m.BalancedAccuracy, Tolerance);             // (3/4 + 1/2 + 0) / 3
        Assert.Equal(5.0 / 12, m.MacroAccuracy, Tolerance);
        Assert.Equal(13.0 / 30, m.WeightedF1, Tolerance);                  // (4·2/3 + 2·2/5 + 2·0) / 8

        // ln 2 · (1 + 0 + 2 + 1 + 2 + 3 + 1) plus the clipped zero, over 8. (float)1e-15 is ≈1.0000000036e-15.
        double clipped = -Math.Log((double)1e-15f);
        Assert.Equal(34.5387763913, clipped, 1e-9); // not 34.5387763949 = -ln(1e-15)
        Assert.Equal((10 * Math.Log(2) + clipped) / 8, m.LogLoss, Tolerance);
    }

    [Fact]
    public void Average_precision_ranks_clips_by_the_class_probability_and_takes_ties_together()
    {
        var m = SmallCase.Metrics();

        // A (positives #0 #1 #2 #7): score 1 → {#1 hit}: ¼ · 1/1; 0.5 → {#0 hit, #4, #5, #7 hit}: 2/4 · 3/5;
        // 0.25 → {#2 hit, #3, #6}: ¼ · 4/8. Sum 27/40.
        Assert.Equal(27.0 / 40, m.PerClass[0].AveragePrecision, Tolerance);

        // B (positives #3 #4): 0.75 → {#6}; 0.5 → {#2, #3 hit, #7}: ½ · 1/4; 0.375 → {#5}; 0.25 → {#0, #4 hit}: ½ · 2/7.
        Assert.Equal(1.0 / 8 + 1.0 / 7, m.PerClass[1].AveragePrecision, Tolerance);

        // C is never predicted, yet its ranking still has an area: 0.125 → {#5 hit}: ½ · 1/5; 0 → {#1, #6 hit, #7}: ½ · 2/8.
        Assert.Equal(9.0 / 40, m.PerClass[2].AveragePrecision, Tolerance);
    }

    [Fact]
    public void Average_precision_is_one_for_a_perfect_ranking_and_zero_without_support()
    {
        var classes = SmallCase.Classes;
        var m = MulticlassMetrics.Compute(classes, [0, 1, 0], [[0.9f, 0.1f, 0f], [0.2f, 0.8f, 0f], [0.7f, 0.3f, 0f]]);

        Assert.Equal(1.0, m.PerClass[0].AveragePrecision, Tolerance);
        Assert.Equal(1.0, m.PerClass[1].AveragePrecision, Tolerance);
        Assert.Equal(0.0, m.PerClass[2].AveragePrecision);
    }

    private static void AssertClass(ClassMetrics c, string name, int index, int label, double precision, double recall, double f1, int support)
    {
        Assert.Equal((name, index, label, support), (c.Name, c.Index, c.Label, c.Support));
        Assert.Equal(precision, c.Precision, Tolerance);
        Assert.Equal(recall, c.Recall, Tolerance);
        Assert.Equal(f1, c.F1, Tolerance);
    }

    [Fact]
    public void Macro_f1_leaves_out_a_class_neither_seen_nor_predicted_but_counts_one_only_predicted()
    {
        // Truth A, B; predicted A, A. A: F1 2·1/(1+2) = 2/3; B: seen, never predicted, F1 0; C: absent, left out.
        var seenOnly = MulticlassMetrics.Compute(SmallCase.Classes, [0, 1], [[0.75f, 0.25f, 0f], [0.75f, 0.25f, 0f]]);
        Assert.Equal((2.0 / 3 + 0) / 2, seenOnly.MacroF1, Tolerance);
        Assert.Equal((1.0 + 0) / 2, seenOnly.BalancedAccuracy, Tolerance);

        // Truth A, A; predicted A, B. A: F1 2·1/(2+1) = 2/3; B: predicted, never seen, F1 0, counted; C left out.
        // Balanced accuracy averages only A, the one class with support.
        var predictedOnly = MulticlassMetrics.Compute(SmallCase.Classes, [0, 0], [[0.75f, 0.25f, 0f], [0.25f, 0.75f, 0f]]);
        Assert.Equal((2.0 / 3 + 0) / 2, predictedOnly.MacroF1, Tolerance);
        Assert.Equal(1.0 / 2, predictedOnly.BalancedAccuracy, Tolerance);
        Assert.Equal(0, predictedOnly.PerClass[1].Precision);
        Assert.Equal(0, predictedOnly.PerClass[1].Recall);
    }

    [Fact]
    public void Probabilities_above_one_are_clipped_to_one()
    {
        var m = MulticlassMetrics.Compute(SmallCase.Classes, [0], [[1.5f, 0f, 0f]]);
        Assert.Equal(0, m.LogLoss);
    }

    [Theory]
    [InlineData(new[] { 0, 1 }, 1, 3, "2 true labels but 1 probability rows")]
    [InlineData(new[] { 0 }, 1, 2, "probabilities[0] has 2 entries: expected one per class (3)")]
    [InlineData(new[] { 0, 3 }, 2, 3, "truth[1] is 3: labels are class positions 0..2")]
    [InlineData(new[] { -1 }, 1, 3, "truth[0] is -1")]
    [InlineData(new int[0], 0, 3, "no examples")]
    public void Bad_input_is_an_argument_exception_that_says_what_is_wrong(int[] truth, int rows, int width, string message)
    {
        var probabilities = Enumerable.Range(0, rows).Select(_ => new float[width]).ToArray();
        var error = Assert.Throws<ArgumentException>(() => MulticlassMetrics.Compute(SmallCase.Classes, truth, probabilities));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Non_finite_or_negative_probabilities_are_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => MulticlassMetrics.Compute(SmallCase.Classes, [0, 1], [[1f, 0f, 0f], [0f, float.NaN, 0f]]));
        Assert.Contains("probabilities[1][1]", error.Message);
        Assert.Throws<ArgumentException>(() => MulticlassMetrics.Compute(SmallCase.Classes, [0], [[1f, -0.5f, 0f]]));
    }

    [Fact]
    public void Per_class_rows_follow_the_class_set_order()
    {
        var classes = new ClassSet([ClassSet.Default[2], ClassSet.Default[0]]); // Dog first, Speech second
        var m = MulticlassMetrics.Compute(classes, [1, 1, 0], [[0f, 1f], [0f, 1f], [1f, 0f]]);
        Assert.Equal(["Dog", "Speech"], m.PerClass.Select(c => c.Name));
        Assert.Equal([74, 0], m.PerClass.Select(c => c.Index));
        Assert.Equal([1, 2], m.PerClass.Select(c => c.Support));
    }
}
