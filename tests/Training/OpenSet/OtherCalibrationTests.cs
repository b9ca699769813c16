using Custom.Data.Selection;
using Custom.Evaluation;
using Custom.Training.Offsets;
using Custom.Training.OpenSet;

namespace Custom.Tests.Training.OpenSet;

/// The choice of the "other" multiplier: the best (K+1)-class macro-F1 among the multipliers that keep the K-class
/// figures on the selected rows within reach of the closed model's, and figures that agree with OpenSetMetrics.
public sealed class OtherCalibrationTests
{
    private static readonly ClassSet Open = OpenSetSession.WithOther(new ClassSet([new SoundClass(0, "/m/a", "A"), new SoundClass(1, "/m/b", "B")]));

    // Rows of (A, B, other) probabilities and their truth (2 = other). Selected rows hold other at 0.3–0.45, none-rows at
    // 0.2–0.6, so any multiplier that rejects most none-rows rejects some selected rows too.
    private static (float[][] Rows, int[] Truth) Case(int seed)
    {
        var random = new Random(seed);
        var rows = new List<float[]>();
        var truth = new List<int>();
        for (int i = 0; i < 400; i++)
        {
            int t = i % 4 == 0 ? 0 : i % 4 == 1 ? 1 : 2;
            float other = t == 2 ? 0.2f + 0.4f * random.NextSingle() : 0.3f + 0.15f * random.NextSingle();
            float right = (1 - other) * (0.55f + 0.4f * random.NextSingle());
            var row = new float[3];
            row[2] = other;
            int lean = t == 2 ? random.Next(2) : t;
            row[lean] = right;
            row[1 - lean] = 1 - other - right;
            rows.Add(row);
            truth.Add(t);
        }

        return (rows.ToArray(), truth.ToArray());
    }

    [Fact]
    public void The_chosen_multiplier_keeps_the_known_figures_within_the_allowed_drop_and_is_the_best_such_one()
    {
        var (rows, truth) = Case(1);
        var reference = OtherCalibration.Known(rows.Select(r => r[..2]).ToArray(), truth, 2);   // the same rows, never "other"
        float weight = OtherCalibration.Tune(rows, truth, reference);

        var chosen = Figures(rows, truth, weight);
        Assert.True(chosen.SelectedMacroF1 >= reference.MacroF1 - OtherCalibration.MaxKnownDrop);
        Assert.True(chosen.SelectedAccuracy >= reference.Accuracy - OtherCalibration.MaxKnownDrop);
        Assert.True(chosen.NoneGivenKnownShare < 1, "some none-rows answered other");

        // Every multiplier on the grid that keeps within the drop scores no higher.
        for (int step = -60; step <= 60; step++)
        {
            var f = Figures(rows, truth, (float)Math.Exp(step * 0.1));
            if (f.SelectedMacroF1 >= reference.MacroF1 - OtherCalibration.MaxKnownDrop && f.SelectedAccuracy >= reference.Accuracy - OtherCalibration.MaxKnownDrop)
            {
                Assert.True(f.All.MacroF1 <= chosen.All.MacroF1 + 1e-9, $"e^{step * 0.1:F1} scores {f.All.MacroF1} > {chosen.All.MacroF1}");
            }
        }
    }

    [Fact]
    public void A_stricter_reference_allows_fewer_none_rows_answered_other()
    {
        var (rows, truth) = Case(2);
        var loose = OtherCalibration.Known(rows.Select(r => r[..2]).ToArray(), truth, 2);
        var strict = loose with { MacroF1 = loose.MacroF1 + 0.01, Accuracy = loose.Accuracy + 0.01 };
        float looseWeight = OtherCalibration.Tune(rows, truth, loose);
        float strictWeight = OtherCalibration.Tune(rows, truth, strict);
        Assert.True(strictWeight < looseWeight, $"{strictWeight} < {looseWeight}");
    }

    [Fact]
    public void Separable_rows_get_every_none_row_answered_other()
    {
        float[][] rows = [[0.8f, 0.1f, 0.1f], [0.1f, 0.8f, 0.1f], [0.3f, 0.3f, 0.4f], [0.35f, 0.25f, 0.4f]];
        int[] truth = [0, 1, 2, 2];
        float weight = OtherCalibration.Tune(rows, truth, new OtherCalibration.KnownFigures(1, 1));
        var f = Figures(rows, truth, weight);
        Assert.Equal((1.0, 0.0, 1.0), (f.All.MacroF1, f.NoneGivenKnownShare, f.SelectedAccuracy));
    }

    [Fact]
    public void Known_figures_agree_with_open_set_metrics()
    {
        var (rows, truth) = Case(3);
        var applied = ClassOffsets.Applied(rows, [1f, 1f, 1.3f]);
        var known = OtherCalibration.Known(applied, truth, 2);
        var f = OpenSetMetrics.Compute(Open, truth.Select(t => (IReadOnlyList<int>)(t == 2 ? [] : [t])).ToArray(), applied);
        Assert.Equal(f.SelectedMacroF1, known.MacroF1, 1e-12);
        Assert.Equal(f.SelectedAccuracy, known.Accuracy, 1e-12);
    }

    private static OpenSetMetrics Figures(float[][] rows, int[] truth, float weight) =>
        OpenSetMetrics.Compute(Open, truth.Select(t => (IReadOnlyList<int>)(t == 2 ? [] : [t])).ToArray(), ClassOffsets.Applied(rows, [1f, 1f, weight]));
}
