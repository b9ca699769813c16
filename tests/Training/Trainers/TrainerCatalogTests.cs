using Custom.Training.Features;
using Custom.Training.Trainers;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace Custom.Tests.Training.Trainers;

public sealed class TrainerCatalogTests
{
    private sealed class Row
    {
        [VectorType(2)]
        public float[] Features { get; set; } = [];

        public bool Label { get; set; }

        public float Weight { get; set; }
    }

    // Overlapping classes with the positives heavily up-weighted: any trainer that honours weights moves its boundary.
    private static IDataView Skewed(MLContext ml)
    {
        var random = new Random(3);
        var rows = Enumerable.Range(0, 400).Select(i =>
        {
            bool positive = i % 8 == 0;
            float centre = positive ? 0.5f : -0.5f;
            return new Row
            {
                Features = [centre + (float)(random.NextDouble() * 2 - 1), (float)(random.NextDouble() * 2 - 1)],
                Label = positive,
                Weight = positive ? 7f : 1f,
            };
        });
        return ml.Data.LoadFromEnumerable(rows.ToList());
    }

    private static float[] LinearSvmWeights(string? weightColumn)
    {
        var ml = new MLContext(1);
        var model = ml.BinaryClassification.Trainers.LinearSvm(new LinearSvmTrainer.Options
        {
            ExampleWeightColumnName = weightColumn, NumberOfIterations = 20,
        }).Fit(Skewed(ml)).Model;
        return [.. model.Weights, model.Bias];
    }

    [Fact]
    public void LinearSvm_trains_the_same_model_with_or_without_weights_so_it_gets_no_weighted_variant()
    {
        Assert.Equal(LinearSvmWeights(null), LinearSvmWeights("Weight"));

        // The same data does move a trainer that honours weights, so the comparison above can tell.
        var ml = new MLContext(1);
        float Bias(string? weight) => ml.BinaryClassification.Trainers.SdcaLogisticRegression(
            new SdcaLogisticRegressionBinaryTrainer.Options { ExampleWeightColumnName = weight, NumberOfThreads = 1 }).Fit(Skewed(ml)).Model.SubModel.Bias;
        Assert.NotEqual(Bias(null), Bias("Weight"));

        var names = Candidate.Grid([TrainerCatalog.Get("ova-linearsvm"), TrainerCatalog.Get("sdca-maxent")], [FeatureKind.Mean]).Select(c => c.Name);
        Assert.Equal(["ova-linearsvm/mean", "sdca-maxent/mean", "sdca-maxent+weighted/mean"], names);
    }

    [Fact]
    public void The_perceptron_runs_on_mean_features_by_default_and_on_any_kind_when_asked()
    {
        var names = Custom.Training.TrainingOptions.DefaultCandidates.Select(c => c.Name).ToList();
        Assert.Contains("mlp/mean", names);
        Assert.DoesNotContain("mlp/stats", names);
        Assert.Contains("lbfgs-maxent/stats", names);
        Assert.Equal(["mlp/mean", "mlp/stats"], Candidate.Grid([TrainerCatalog.Get("mlp")], [FeatureKind.Mean, FeatureKind.Stats]).Select(c => c.Name));
    }

    [Fact]
    public void The_default_comparison_leaves_out_fasttree_which_still_runs_when_named()
    {
        var names = Custom.Training.TrainingOptions.DefaultCandidates.Select(c => c.Name).ToList();
        Assert.DoesNotContain(names, n => n.StartsWith("ova-fasttree", StringComparison.Ordinal));
        Assert.Equal(20, names.Count);
        Assert.Contains("attention/flat", names);
        Assert.Equal(["ova-fasttree/mean", "ova-fasttree+weighted/mean"], Candidate.Grid([TrainerCatalog.Get("ova-fasttree")], [FeatureKind.Mean]).Select(c => c.Name));
    }
}
