using Custom.Data.Selection;
using Custom.Evaluation;
using Custom.Training;
using Custom.Training.Offsets;
using Custom.Training.OpenSet;

namespace Custom.Tests.Training.OpenSet;

/// The choice of the "other" multipliers (one per answered class): the best (K+1)-class macro-F1 found among those that
/// keep the K-class figures on the selected rows within reach of the closed model's, and figures that agree with
/// OpenSetMetrics.
public sealed class OtherCalibrationTests
{
    private const double Drop = TrainingOptions.DefaultOpenSetMaxDrop;

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
    public void The_chosen_multipliers_keep_the_known_figures_within_the_allowed_drop_and_beat_every_single_multiplier()
    {
        var (rows, truth) = Case(1);
        var reference = OtherCalibration.Known(rows.Select(r => r[..2]).ToArray(), truth, 2);   // the same rows, never "other"
        var multipliers = OtherCalibration.Tune(rows, truth, reference, Drop);

        Assert.Equal(2, multipliers.Length);
        var chosen = Figures(rows, truth, multipliers);
        Assert.True(chosen.SelectedMacroF1 >= reference.MacroF1 - Drop);
        Assert.True(chosen.SelectedAccuracy >= reference.Accuracy - Drop);
        Assert.True(chosen.NoneGivenKnownShare < 1, "some none-rows answered other");

        // Every single multiplier on the grid that keeps within the drop scores no higher.
        for (int step = -60; step <= 60; step++)
        {
            float weight = (float)Math.Exp(step * 0.1);
            var f = Figures(rows, truth, [weight, weight]);
            if (f.SelectedMacroF1 >= reference.MacroF1 - Drop && f.SelectedAccuracy >= reference.Accuracy - Drop)
            {
                Assert.True(f.All.MacroF1 <= chosen.All.MacroF1 + 1e-9, $"e^{step * 0.1:F1} scores {f.All.MacroF1} > {chosen.All.MacroF1}");
            }
        }
    }

    [Fact]
    public void A_class_whose_answers_hold_the_none_rows_gives_way_to_other_more_readily_than_one_whose_answers_are_right()
    {
        // None-rows all lean to A; B's answers are all right. Rejecting on A's answers rejects none-rows, on B's only B.
        var random = new Random(4);
        var rows = new List<float[]>();
        var truth = new List<int>();
        for (int i = 0; i < 300; i++)
        {
            int t = i % 3;
            float other = t == 2 ? 0.35f + 0.25f * random.NextSingle() : 0.3f + 0.15f * random.NextSingle();
            int lean = t == 2 ? 0 : t;
            float right = (1 - other) * (0.6f + 0.35f * random.NextSingle());
            var row = new float[3];
            row[2] = other;
            row[lean] = right;
            row[1 - lean] = 1 - other - right;
            rows.Add(row);
            truth.Add(t);
        }

        var reference = OtherCalibration.Known(rows.Select(r => r[..2]).ToArray(), truth, 2);
        var multipliers = OtherCalibration.Tune(rows, truth, reference, Drop);

        Assert.True(multipliers[0] > multipliers[1], $"A {multipliers[0]} against B {multipliers[1]}");
        var chosen = Figures([.. rows], [.. truth], multipliers);
        double bestSingle = Enumerable.Range(-60, 121).Select(step => (float)Math.Exp(step * 0.1))
            .Select(w => Figures([.. rows], [.. truth], [w, w]))
            .Where(f => f.SelectedMacroF1 >= reference.MacroF1 - Drop && f.SelectedAccuracy >= reference.Accuracy - Drop)
            .Max(f => f.All.MacroF1);
        Assert.True(chosen.All.MacroF1 > bestSingle, $"{chosen.All.MacroF1} against one multiplier's {bestSingle}");
    }

    [Fact]
    public void A_stricter_reference_binds_the_choice()
    {
        var (rows, truth) = Case(2);
        var loose = OtherCalibration.Known(rows.Select(r => r[..2]).ToArray(), truth, 2);
        var strict = loose with { MacroF1 = loose.MacroF1 + 0.01, Accuracy = loose.Accuracy + 0.01 };
        var looseFigures = Figures(rows, truth, OtherCalibration.Tune(rows, truth, loose, Drop));
        var strictFigures = Figures(rows, truth, OtherCalibration.Tune(rows, truth, strict, Drop));

        Assert.True(strictFigures.SelectedAccuracy >= strict.Accuracy - Drop);
        Assert.True(strictFigures.SelectedMacroF1 >= strict.MacroF1 - Drop);
        Assert.True(looseFigures.SelectedAccuracy < strict.Accuracy - Drop || looseFigures.SelectedMacroF1 < strict.MacroF1 - Drop,
            "the loose choice would also keep the strict bound");
    }

    [Fact]
    public void A_larger_allowed_drop_buys_fewer_none_rows_given_a_class_and_keeps_within_itself()
    {
        var (rows, truth) = Case(1);
        var reference = OtherCalibration.Known(rows.Select(r => r[..2]).ToArray(), truth, 2);
        var tight = Figures(rows, truth, OtherCalibration.Tune(rows, truth, reference, Drop));
        var wide = Figures(rows, truth, OtherCalibration.Tune(rows, truth, reference, 0.15));

        Assert.True(wide.SelectedMacroF1 >= reference.MacroF1 - 0.15 && wide.SelectedAccuracy >= reference.Accuracy - 0.15);
        Assert.True(wide.NoneGivenKnownShare < tight.NoneGivenKnownShare, $"{wide.NoneGivenKnownShare} against {tight.NoneGivenKnownShare}");
        Assert.True(wide.All.MacroF1 > tight.All.MacroF1, $"{wide.All.MacroF1} against {tight.All.MacroF1}");
        Assert.True(wide.SelectedAccuracy < reference.Accuracy - Drop, "the wider choice spends more than the tight drop allows");
    }

    [Fact]
    public void When_no_multiplier_keeps_within_reach_the_closest_single_one_is_taken_for_every_class()
    {
        var (rows, truth) = Case(1);
        var multipliers = OtherCalibration.Tune(rows, truth, new OtherCalibration.KnownFigures(1.5, 1.5), Drop);
        Assert.Equal([(float)Math.Exp(-6), (float)Math.Exp(-6)], multipliers);   // "other" as rare as the grid allows
    }

    [Fact]
    public void Separable_rows_get_every_none_row_answered_other()
    {
        float[][] rows = [[0.8f, 0.1f, 0.1f], [0.1f, 0.8f, 0.1f], [0.3f, 0.3f, 0.4f], [0.35f, 0.25f, 0.4f]];
        int[] truth = [0, 1, 2, 2];
        var multipliers = OtherCalibration.Tune(rows, truth, new OtherCalibration.KnownFigures(1, 1), Drop);
        var f = Figures(rows, truth, multipliers);
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

    private static OpenSetMetrics Figures(float[][] rows, int[] truth, IReadOnlyList<float> multipliers) =>
        OpenSetMetrics.Compute(Open, truth.Select(t => (IReadOnlyList<int>)(t == 2 ? [] : [t])).ToArray(), Applied(rows, multipliers));

    // The answer rule written out: "other" scaled by the multiplier of the class the closed part answers (the first of
    // equal maxima), then renormalized.
    private static float[][] Applied(float[][] rows, IReadOnlyList<float> multipliers) =>
        rows.Select(row =>
        {
            var copy = (float[])row.Clone();
            copy[2] *= multipliers[row[1] > row[0] ? 1 : 0];
            float sum = copy.Sum();
            return copy.Select(v => v / sum).ToArray();
        }).ToArray();
}
