using Custom.Data.Selection;
using Custom.Evaluation;

namespace Custom.Tests.Evaluation;

/// The open-set figures on a hand-made case: two classes A and B and "other", nine clips of every kind.
public sealed class OpenSetMetricsTests
{
    private const double Tolerance = 1e-12;

    private static readonly ClassSet Classes = new([new SoundClass(0, "/m/a", "A"), new SoundClass(5, "/m/b", "B"), new SoundClass(-1, "", "other")]);

    //                         labels carried   answer
    private static readonly (int[] Positions, int Answer)[] Clips =
    [
        ([0], 0),        // 1: A answered A
        ([0], 2),        // 2: A answered other
        ([1], 1),        // 3: B answered B
        ([1], 0),        // 4: B answered A
        ([], 2),         // 5: none answered other
        ([], 2),         // 6: none answered other
        ([], 1),         // 7: none answered B
        ([0, 1], 1),     // 8: A and B answered B → truth B, right
        ([0, 1], 2),     // 9: A and B answered other → truth A (the first of its labels), wrong
    ];

    private static OpenSetMetrics Compute() => OpenSetMetrics.Compute(
        Classes,
        Clips.Select(c => (IReadOnlyList<int>)c.Positions).ToArray(),
        Clips.Select(c => OneHot(c.Answer)).ToArray());

    private static float[] OneHot(int answer)
    {
        var row = new float[] { 0.2f, 0.2f, 0.2f };
        row[answer] = 0.6f;
        return row;
    }

    [Fact]
    public void The_three_class_figures_on_every_clip_follow_from_the_hand_made_confusion()
    {
        var m = Compute();

        // Truth A, A, B, B, other, other, other, B, A; answers A, other, B, A, other, other, B, B, other.
        Assert.Equal([[1, 0, 2], [1, 2, 0], [0, 1, 2]], m.All.ConfusionMatrix.Select(r => r.ToArray()).ToArray());
        Assert.Equal(9, m.All.Count);
        Assert.Equal(5.0 / 9, m.All.Accuracy, Tolerance);
        // A: TP 1, support 3, answered 2 → 2/5. B: TP 2, support 3, answered 3 → 4/6. other: TP 2, support 3, answered 4 → 4/7.
        Assert.Equal(2.0 / 5, m.All.PerClass[0].F1, Tolerance);
        Assert.Equal(4.0 / 6, m.All.PerClass[1].F1, Tolerance);
        Assert.Equal(4.0 / 7, m.All.PerClass[2].F1, Tolerance);
        Assert.Equal((2.0 / 5 + 4.0 / 6 + 4.0 / 7) / 3, m.All.MacroF1, Tolerance);
    }

    [Fact]
    public void None_clips_given_a_class_and_the_figures_on_the_selected_clips_count_other_as_wrong()
    {
        var m = Compute();

        Assert.Equal((3, 1, 2, 4), (m.NoneClips, m.NoneGivenKnown, m.MultiClips, m.SelectedClips));
        Assert.Equal(1.0 / 3, m.NoneGivenKnownShare, Tolerance);

        // Selected clips 1–4: truth A, A, B, B; answers A, other, B, A. A: TP 1, support 2, answered A 2 → 2/4;
        // B: TP 1, support 2, answered B 1 → 2/3; "other" is no class of the mean.
        Assert.Equal((0.5 + 2.0 / 3) / 2, m.SelectedMacroF1, Tolerance);
        Assert.Equal(2.0 / 4, m.SelectedAccuracy, Tolerance);
        Assert.Equal(1, m.SelectedGivenOther);
    }

    [Fact]
    public void A_closed_model_with_a_zero_other_column_keeps_its_usual_figures_and_gives_every_none_clip_a_class()
    {
        var positions = new IReadOnlyList<int>[] { [0], [1], [1], [], [] };
        float[][] closed = [[0.9f, 0.1f], [0.3f, 0.7f], [0.6f, 0.4f], [0.5f, 0.5f], [0.2f, 0.8f]];
        var m = OpenSetMetrics.Compute(Classes, positions, OpenSetMetrics.WithOtherColumn(closed));
        var usual = MulticlassMetrics.Compute(new ClassSet(Classes.Take(2)), [0, 1, 1], closed[..3]);

        Assert.Equal(usual.MacroF1, m.SelectedMacroF1, Tolerance);
        Assert.Equal(usual.Accuracy, m.SelectedAccuracy, Tolerance);
        Assert.Equal(1.0, m.NoneGivenKnownShare);
        Assert.Equal(0, m.SelectedGivenOther);
    }

    [Fact]
    public void Metrics_json_and_markdown_carry_the_open_set_figures_beside_the_closed_models()
    {
        var m = Compute();
        var document = new MetricsDocument("eval", "mlp", "mean", m.All)
        {
            OpenSet = new OpenSetSection(m, new ClosedFigures("mlp/mean", 0.27, 1.0, 0.6179, 0.9049)),
        };

        var snapshot = MetricsSnapshot.Parse(document.ToJson());
        Assert.Equal(m.All.MacroF1, snapshot.Find("macro_f1")!.Number);
        Assert.Equal(1.0 / 3, snapshot.Find("open_set.none_given_known_share")!.Number);
        Assert.Equal(m.SelectedMacroF1, snapshot.Find("open_set.selected_macro_f1")!.Number);
        Assert.Equal(0.6179, snapshot.Find("open_set.closed_model.selected_macro_f1")!.Number);
        Assert.Equal("\"other\"", snapshot.Find("open_set.other_class")!.Json);
        string md = document.ToMarkdown();
        Assert.Contains("| none-clips given one of the 2 | 0.3333 (1) | 1.0000 |", md);
        Assert.Contains("| 2-class macro-F1, selected clips (\"other\" counts wrong) | 0.5833 | 0.6179 |", md);
    }

    [Fact]
    public void A_closed_document_has_no_open_set_part()
    {
        var m = Compute();
        Assert.DoesNotContain("open_set", new MetricsDocument("eval", "mlp", "mean", m.All).ToJson());
    }
}
