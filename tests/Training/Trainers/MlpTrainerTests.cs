using Custom.Training.Trainers;
using Custom.Training.Trainers.Mlp;
using Custom.Training.Validation;
using Microsoft.ML;

namespace Custom.Tests.Training.Trainers;

public sealed class MlpTrainerTests
{
    // Two classes in the four quadrants, chequered (XOR): no linear boundary separates them.
    private static (float[][] Features, int[] Labels) Chequered(int count, int seed)
    {
        var random = new Random(seed);
        var features = new float[count][];
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            float x = (float)(random.NextDouble() * 2 - 1), y = (float)(random.NextDouble() * 2 - 1);
            features[i] = [x, y];
            labels[i] = (x > 0) ^ (y > 0) ? 1 : 0;
        }

        return (features, labels);
    }

    private static double Accuracy(ITransformer model, FeatureTable table, MLContext ml)
    {
        var scores = CandidateFit.Probabilities(model.Transform(table.View(ml, Enumerable.Range(0, table.Count).ToArray(), classWeighted: false)));
        return Enumerable.Range(0, table.Count).Count(i => Array.IndexOf(scores[i], scores[i].Max()) == table.Labels[i]) / (double)table.Count;
    }

    [Fact]
    public void Learns_a_boundary_that_no_linear_model_can_draw()
    {
        var (trainX, trainY) = Chequered(1000, 1);
        var (testX, testY) = Chequered(400, 2);
        var train = new FeatureTable(trainX, trainY, 2);
        var test = new FeatureTable(testX, testY, 2);
        var ml = new MLContext(1);
        var all = Enumerable.Range(0, train.Count).ToArray();

        var mlp = new Candidate(TrainerCatalog.Get("mlp"), Custom.Training.Features.FeatureKind.Mean, false);
        var maxent = new Candidate(TrainerCatalog.Get("lbfgs-maxent"), Custom.Training.Features.FeatureKind.Mean, false);
        double mlpAccuracy = Accuracy(CandidateFit.Fit(mlp, train, all, 1), test, ml);
        double linearAccuracy = Accuracy(CandidateFit.Fit(maxent, train, all, 1), test, ml);
        Assert.True(mlpAccuracy >= 0.95, $"perceptron accuracy {mlpAccuracy}");
        Assert.True(linearAccuracy <= 0.75, $"the data needs no hidden layer: maximum entropy reaches {linearAccuracy}");
    }

    [Fact]
    public void A_seed_gives_the_same_network_and_another_seed_another()
    {
        var (x, y) = Chequered(300, 3);
        var first = MlpTraining.Train(x, y, 2, seed: 5).Packed;
        Assert.Equal(first, MlpTraining.Train(x, y, 2, seed: 5).Packed);
        Assert.NotEqual(first, MlpTraining.Train(x, y, 2, seed: 6).Packed);
    }

    [Fact]
    public void Takes_raw_features_and_ignores_one_that_was_constant_in_training()
    {
        // Far from zero and on very different scales: the standardization folded into the first layer must handle it.
        var (x, y) = Chequered(600, 4);
        var raw = x.Select(v => new[] { 500f + 1000f * v[0], 0.001f * v[1], 7f }).ToArray();
        var network = MlpTraining.Train(raw, y, 2, seed: 1);

        var (testX, testY) = Chequered(200, 5);
        int correct = 0;
        for (int i = 0; i < testX.Length; i++)
        {
            var p = network.Probabilities([500f + 1000f * testX[i][0], 0.001f * testX[i][1], 7f]);
            Assert.Equal(p, network.Probabilities([500f + 1000f * testX[i][0], 0.001f * testX[i][1], 1e6f]));
            correct += Array.IndexOf(p, p.Max()) == testY[i] ? 1 : 0;
        }

        Assert.True(correct >= 180, $"{correct} of 200 right");
    }

    [Fact]
    public void Weights_each_class_by_the_square_root_of_its_inverse_frequency()
    {
        // Features carry no information, so the best the loss can do is a constant: with class 1 one row in twenty and
        // weights ∝ (1 / frequency)^½, that constant is p(1) = 100·√19 / (100·√19 + 1,900) ≈ 0.187, not the 0.05 an
        // unweighted loss would give.
        var random = new Random(9);
        var x = Enumerable.Range(0, 2000).Select(_ => new[] { (float)random.NextDouble(), (float)random.NextDouble() }).ToArray();
        var y = Enumerable.Range(0, 2000).Select(i => i % 20 == 0 ? 1 : 0).ToArray();
        var network = MlpTraining.Train(x, y, 2, seed: 1);
        double meanRare = x.Average(v => network.Probabilities(v)[1]);
        Assert.InRange(meanRare, 0.14, 0.24);
    }

    [Fact]
    public void Refuses_weights_that_do_not_match_their_header()
    {
        var packed = MlpTraining.Train([[0f], [1f]], [0, 1], 2, seed: 1).Packed;
        var error = Assert.Throws<InvalidDataException>(() => new MlpNetwork(packed[..^1]));
        Assert.Contains($"not the 1 × {MlpTraining.Members * MlpTraining.HiddenUnits} × 2 network", error.Message);
    }
}
