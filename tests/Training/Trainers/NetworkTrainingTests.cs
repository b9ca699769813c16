using Custom.Training.Trainers;

namespace Custom.Tests.Training.Trainers;

public sealed class NetworkTrainingTests
{
    [Fact]
    public void Standardization_reads_the_real_frames_only_and_ignores_a_constant_dimension()
    {
        // Two dimensions per frame. Row 0 has two real frames and a third past its count; row 1 one real frame.
        float[][] features = [[1, 5, 3, 5, 99, 99], [5, 5, 0, 0]];
        var (mean, scale) = NetworkTraining.Standardization(features, [2, 1], frameSize: 2);

        Assert.Equal([3f, 5f], mean);
        // Dimension 0 over 1, 3, 5: variance 8/3. Dimension 1 is 5 in every real frame.
        Assert.Equal(1 / MathF.Sqrt(8f / 3), scale[0], 6);
        Assert.Equal(0f, scale[1]);
    }

    [Fact]
    public void Standardization_of_rows_is_that_of_one_frame_per_row()
    {
        float[][] rows = [[1, -2, 0.5f], [4, 2, 0.25f], [-3, 7, 1]];
        var byRow = NetworkTraining.Standardization(rows, inputs: 3);
        var byFrame = NetworkTraining.Standardization(rows, [1, 1, 1], frameSize: 3);

        Assert.Equal(byFrame.Mean, byRow.Mean);
        Assert.Equal(byFrame.Scale, byRow.Scale);
    }

    [Fact]
    public void Adams_first_step_moves_each_parameter_by_the_rate_against_its_gradients_sign()
    {
        float[] parameters = [1, 1, 1];
        float[] gradients = [3, -0.5f, 40];
        Adam.Step(parameters, gradients, new float[3], new float[3], step: 1, gradientScale: 2, rate: 0.01f);

        Assert.Equal(0.99f, parameters[0], 5);
        Assert.Equal(1.01f, parameters[1], 5);
        Assert.Equal(0.99f, parameters[2], 5);
    }

    [Fact]
    public void Without_a_gradient_the_l2_penalty_steps_towards_zero_and_the_decay_shrinks_in_proportion()
    {
        // L2 joins the gradient, so Adam rescales it: a full step of the rate towards zero, whatever θ's size.
        float[] penalized = [2, -0.5f];
        Adam.Step(penalized, new float[2], new float[2], new float[2], step: 1, gradientScale: 1, rate: 0.01f, l2: 0.1f);
        Assert.Equal(1.99f, penalized[0], 5);
        Assert.Equal(-0.49f, penalized[1], 5);

        // Decay joins after Adam's scaling: θ shrinks by rate · decay · θ.
        float[] decayed = [2, -0.5f];
        Adam.Step(decayed, new float[2], new float[2], new float[2], step: 1, gradientScale: 1, rate: 0.01f, decay: 0.1f);
        Assert.Equal(2 - 0.002f, decayed[0], 6);
        Assert.Equal(-0.5f + 0.0005f, decayed[1], 6);
    }
}
