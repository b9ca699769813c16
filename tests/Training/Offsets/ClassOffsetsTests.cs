using Custom.Training.Offsets;

namespace Custom.Tests.Training.Offsets;

public sealed class ClassOffsetsTests
{
    // Three classes; class 2 is rare and always scored a little below class 0, so no clip is ever predicted as 2.
    private static (float[][] Probabilities, int[] Truth) Skewed()
    {
        var rows = new List<float[]>();
        var truth = new List<int>();
        for (int i = 0; i < 40; i++)
        {
            rows.Add([0.80f, 0.15f, 0.05f]);
            truth.Add(0);
        }

        for (int i = 0; i < 10; i++)
        {
            rows.Add([0.20f, 0.70f, 0.10f]);
            truth.Add(1);
        }

        for (int i = 0; i < 5; i++)
        {
            rows.Add([0.50f, 0.10f, 0.40f]);
            truth.Add(2);
        }

        return (rows.ToArray(), truth.ToArray());
    }

    [Fact]
    public void Tuned_offsets_let_a_class_that_was_never_predicted_be_found()
    {
        var (probabilities, truth) = Skewed();
        var weights = ClassOffsets.Tune(probabilities, truth, 3);

        Assert.Equal(1f, weights[0]);
        var adjusted = ClassOffsets.Applied(probabilities, weights);
        int[] predicted = adjusted.Select(p => Array.IndexOf(p, p.Max())).ToArray();
        Assert.Equal(truth, predicted);
        // Only the rare class needed a push: e^δ must exceed 0.5 / 0.4 for it to win its clips, but not so much that
        // class 1's clips (0.10 vs 0.70) flip.
        Assert.InRange(weights[2], 1.25f, 7f);
    }

    [Fact]
    public void Offsets_that_cannot_help_stay_at_zero()
    {
        float[][] probabilities = [[0.9f, 0.1f], [0.2f, 0.8f], [0.7f, 0.3f], [0.4f, 0.6f]];
        int[] truth = [0, 1, 0, 1];
        Assert.Equal([1f, 1f], ClassOffsets.Tune(probabilities, truth, 2));
    }

    [Fact]
    public void Apply_multiplies_and_renormalizes()
    {
        float[] p = [0.5f, 0.25f, 0.25f];
        ClassOffsets.Apply(p, [1f, 2f, 4f]);
        Assert.Equal(0.5f / 2.0f, p[0], 6);
        Assert.Equal(0.5f / 2.0f, p[1], 6);
        Assert.Equal(1.0f / 2.0f, p[2], 6);
        Assert.Equal(1f, p.Sum(), 6);
    }

    [Fact]
    public void Applied_leaves_the_input_alone()
    {
        float[][] rows = [[0.6f, 0.4f]];
        var adjusted = ClassOffsets.Applied(rows, [1f, 3f]);
        Assert.Equal([0.6f, 0.4f], rows[0]);
        Assert.True(adjusted[0][1] > adjusted[0][0]);
    }
}
