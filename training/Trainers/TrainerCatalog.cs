using Custom.Data;
using Microsoft.ML;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace Custom.Training.Trainers;

/// <summary>
/// The multiclass trainers a leaderboard compares. Every trainer runs single-threaded with the run's seed: ML.NET's
/// multi-threaded SDCA and LightGBM are not bit-reproducible, and reproducible metrics are a promise of this tool.
/// </summary>
public static class TrainerCatalog
{
    private static readonly TrainerSpec[] Specs =
    [
        new("sdca-maxent", "SdcaMaximumEntropy", normalize: true, supportsWeights: true, supportsOffsets: true, (ml, c, seed) =>
            ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(new SdcaMaximumEntropyMulticlassTrainer.Options
            {
                LabelColumnName = c.Label, FeatureColumnName = c.Features, ExampleWeightColumnName = c.Weight,
                NumberOfThreads = 1, MaximumNumberOfIterations = 50,
            })),
        new("lbfgs-maxent", "LbfgsMaximumEntropy", normalize: true, supportsWeights: true, supportsOffsets: true, (ml, c, seed) =>
            ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
            {
                LabelColumnName = c.Label, FeatureColumnName = c.Features, ExampleWeightColumnName = c.Weight,
                NumberOfThreads = 1, L2Regularization = 10f, L1Regularization = 0f, OptimizationTolerance = 1e-5f,
            })),
        // Feature subsampling and L2 on the leaves keep 384 dense dimensions from overfitting ~7k clips.
        new("lightgbm", "LightGbm (multiclass, softmax)", normalize: false, supportsWeights: true, supportsOffsets: true, (ml, c, seed) =>
            ml.MulticlassClassification.Trainers.LightGbm(new LightGbmMulticlassTrainer.Options
            {
                LabelColumnName = c.Label, FeatureColumnName = c.Features, ExampleWeightColumnName = c.Weight,
                NumberOfThreads = 1, Seed = seed, NumberOfIterations = 150, LearningRate = 0.1, NumberOfLeaves = 15,
                MinimumExampleCountPerLeaf = 20, UseSoftmax = true, Verbose = false, Silent = true,
                Booster = new GradientBooster.Options { FeatureFraction = 0.3, L2Regularization = 1 },
            })),
        new("ova-fasttree", "OneVersusAll(FastTree)", normalize: false, supportsWeights: true, supportsOffsets: true, (ml, c, seed) =>
            ml.MulticlassClassification.Trainers.OneVersusAll(
                ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
                {
                    LabelColumnName = c.Label, FeatureColumnName = c.Features, ExampleWeightColumnName = c.Weight,
                    NumberOfThreads = 1, NumberOfTrees = 20, NumberOfLeaves = 8, MinimumExampleCountPerLeaf = 20, FeatureFraction = 0.5,
                    FeatureFirstUsePenalty = 0, Seed = seed,
                }),
                labelColumnName: c.Label)),
        new("ova-linearsvm", "OneVersusAll(LinearSvm)", normalize: true, supportsWeights: true, supportsOffsets: true, (ml, c, seed) =>
            ml.MulticlassClassification.Trainers.OneVersusAll(
                ml.BinaryClassification.Trainers.LinearSvm(new LinearSvmTrainer.Options
                {
                    LabelColumnName = c.Label, FeatureColumnName = c.Features, ExampleWeightColumnName = c.Weight,
                    NumberOfIterations = 20,
                }),
                labelColumnName: c.Label)),
        new("ova-perceptron", "OneVersusAll(AveragedPerceptron)", normalize: true, supportsWeights: false, supportsOffsets: true, (ml, c, seed) =>
            ml.MulticlassClassification.Trainers.OneVersusAll(
                ml.BinaryClassification.Trainers.AveragedPerceptron(new AveragedPerceptronTrainer.Options
                {
                    LabelColumnName = c.Label, FeatureColumnName = c.Features, NumberOfIterations = 10,
                }),
                labelColumnName: c.Label)),
        new("naive-bayes", "NaiveBayes (features > 0 count as present)", normalize: false, supportsWeights: false, supportsOffsets: false, (ml, c, seed) =>
            ml.MulticlassClassification.Trainers.NaiveBayes(c.Label, c.Features)),
    ];

    /// <summary>Every trainer, in catalog order.</summary>
    public static IReadOnlyList<TrainerSpec> All => Specs;

    /// <summary>Finds a trainer by name; an unknown one is an <see cref="InvalidInputException"/> listing the names.</summary>
    public static TrainerSpec Get(string name) =>
        Specs.FirstOrDefault(s => s.Name == name.Trim().ToLowerInvariant())
        ?? throw new InvalidInputException($"unknown trainer '{name}': use {string.Join(", ", Specs.Select(s => s.Name))}");
}
