using Custom.Data;
using Custom.Data.Selection;
using Custom.Tests.Support;
using Custom.Training.OpenSet;

namespace Custom.Tests.Training.OpenSet;

/// The open-set comparison on synthetic data: "other" learned from none-clips, its calibration chosen on the training
/// split only, the eval figures on every clip beside the closed twin's.
public sealed class OpenSetSessionTests
{
    [Fact]
    public void The_model_learns_other_as_an_eleventh_class_with_a_calibrated_multiplier_for_each_answered_class()
    {
        var run = OpenSetData.Train(OpenSetData.Eval(7));

        Assert.Equal([.. ClassSet.Default.Names, "other"], run.Classes.Names);
        Assert.Null(run.Chosen.ClassWeights);       // the multipliers live in the combination, not in a class-offsets stage
        Assert.Equal(10, run.OpenSet!.Chosen.OtherWeights.Count);
        Assert.All(run.OpenSet.Chosen.OtherWeights, w => Assert.True(w > 0 && float.IsFinite(w), $"multiplier {w}"));
        Assert.All(run.Chosen.EvalProbabilities!, p => Assert.Equal(1f, p.Sum(), 1e-5f));
        Assert.Equal(350, run.TrainClips);
        Assert.Equal(150, run.OpenSet.TrainNoneClips);
    }

    [Fact]
    public void Eval_figures_cover_every_clip_and_stand_beside_the_closed_twins()
    {
        var run = OpenSetData.Train(OpenSetData.Eval(7));
        var chosen = run.OpenSet!.Chosen;
        var eval = chosen.Eval!;
        var closed = chosen.ClosedEval!;

        Assert.Equal(75, eval.All.Count);
        Assert.Equal((30, 5, 40), (eval.NoneClips, eval.MultiClips, eval.SelectedClips));
        Assert.Equal(1.0, closed.NoneGivenKnownShare);       // a closed model never answers "other"
        Assert.True(eval.NoneGivenKnownShare < 0.2, $"{eval.NoneGivenKnownShare} of the none-clips given a class");
        Assert.True(eval.All.MacroF1 > closed.All.MacroF1);
        Assert.Same(eval.All, run.Chosen.Eval);
        Assert.Equal(closed.SelectedMacroF1, chosen.ClosedFigures!.SelectedMacroF1);
    }

    [Fact]
    public void The_calibration_and_ranking_never_read_the_evaluation_split()
    {
        // Three runs on the same training clips: with one eval split, with another of other clips, and with none.
        var first = OpenSetData.Train(OpenSetData.Eval(7));
        var second = OpenSetData.Train(OpenSetData.Eval(8));
        var without = OpenSetData.Train(null);

        Assert.NotEqual(first.Chosen.EvalProbabilities![0], second.Chosen.EvalProbabilities![0]);
        foreach (var other in new[] { second, without })
        {
            Assert.Equal(first.OpenSet!.Chosen.OtherWeights, other.OpenSet!.Chosen.OtherWeights);
            Assert.Equal(first.OpenSet.Chosen.FoldOtherWeights, other.OpenSet.Chosen.FoldOtherWeights);
            Assert.Equal(first.Chosen.FoldMacroF1, other.Chosen.FoldMacroF1);
            Assert.Equal(first.OpenSet.Chosen.FoldKnownMacroF1, other.OpenSet.Chosen.FoldKnownMacroF1);
        }

        Assert.Null(without.OpenSet!.Chosen.Eval);
    }

    [Fact]
    public void Each_fold_is_scored_with_a_multiplier_chosen_on_the_other_folds()
    {
        var run = OpenSetData.Train(null);
        var chosen = run.OpenSet!.Chosen;

        Assert.Equal(2, chosen.FoldOtherWeights.Count);
        Assert.All(chosen.FoldOtherWeights, m => Assert.Equal(10, m.Count));
        Assert.Equal(2, run.Chosen.FoldMacroF1.Count);
        Assert.All(chosen.FoldKnownMacroF1.Zip(chosen.FoldClosedMacroF1), f => Assert.True(f.First >= f.Second - 0.1, $"{f.First} against closed {f.Second}"));
    }

    [Fact]
    public void Too_few_none_clips_or_offsets_variants_are_refused_with_the_reason()
    {
        var (known, none) = OpenSetData.Training(200, 1, 3);
        var options = OpenSetData.Options();
        var e = Assert.Throws<InvalidInputException>(() => OpenSetSession.Run(ClassSet.Default, known, none, null, options));
        Assert.Contains("1 training clips carry none of the classes, fewer than the 2 folds", e.Message);

        var offsets = options with { Candidates = [options.Candidates[0] with { Offsets = true }] };
        (known, none) = OpenSetData.Training(200, 20, 3);
        e = Assert.Throws<InvalidInputException>(() => OpenSetSession.Run(ClassSet.Default, known, none, null, offsets));
        Assert.Contains("offsets variants are not compared", e.Message);
    }
}
