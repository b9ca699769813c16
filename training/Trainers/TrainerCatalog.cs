using Custom.Data;
using Custom.Training.Features;
using Custom.Training.Trainers.Attention;
using Custom.Training.Trainers.Mlp;
using Microsoft.ML;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace Custom.Training.Trainers;

/// <summary>
/// The multiclass trainers a leaderboard compares. Every trainer is seeded and bit-reproducible: SDCA and LightGBM run
/// single-threaded (their multi-threaded modes are not reproducible), and reproducible metrics are a promise of this tool.
/// </summary>
public static class TrainerCatalog
{
    // Not 1: with one thread ML.NET's FastTree runs each of its sub-tasks through the thread pool and waits for it
    // (Task.Run(…).Wait()), which cost a fifth of its time here; with two it splits them with Parallel.Invoke, the
    // calling thread included. Its split search gives the same trees either way (the full data gave byte-identical
    // leaderboards with 1 and 2). ML.NET reads the count once per process, from the first FastTree trainer built.
    // 32 histogram bins instead of 255 halve its CPU time, with cross-validated macro-F1 within ±0.005 here.
    private const int FastTreeThreads = 2;

    private static readonly TrainerSpec[] Specs =
    [
        new("sdca-maxent", "SdcaMaximumEntropy", normalize: true, supportsWeights: true, supportsOffsets: true, relativeCost: 0.4, (ml, c, seed) =>
            ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(new SdcaMaximumEntropyMulticlassTrainer.Options
            {
                LabelColumnName = c.Label, FeatureColumnName = c.Features, ExampleWeightColumnName = c.Weight,
                NumberOfThreads = 1, MaximumNumberOfIterations = 50,
            })),
        new("lbfgs-maxent", "LbfgsMaximumEntropy", normalize: true, supportsWeights: true, supportsOffsets: true, relativeCost: 0.5, (ml, c, seed) =>
            ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
            {
                LabelColumnName = c.Label, FeatureColumnName = c.Features, ExampleWeightColumnName = c.Weight,
                NumberOfThreads = 1, L2Regularization = 10f, L1Regularization = 0f, OptimizationTolerance = 1e-5f,
            })),
        // Feature subsampling and L2 on the leaves keep 384 dense dimensions from overfitting ~7k clips.
        new("lightgbm", "LightGbm (multiclass, softmax)", normalize: false, supportsWeights: true, supportsOffsets: true, relativeCost: 0.8, (ml, c, seed) =>
            ml.MulticlassClassification.Trainers.LightGbm(new LightGbmMulticlassTrainer.Options
            {
                LabelColumnName = c.Label, FeatureColumnName = c.Features, ExampleWeightColumnName = c.Weight,
                NumberOfThreads = 1, Seed = seed, NumberOfIterations = 150, LearningRate = 0.1, NumberOfLeaves = 15,
                MinimumExampleCountPerLeaf = 20, UseSoftmax = true, Verbose = false, Silent = true,
                Booster = new GradientBooster.Options { FeatureFraction = 0.3, L2Regularization = 1 },
            }))
        {
            OneFitPerProcess = true,
        },
        // Not in the default comparison: its four candidates ranked 17th to 21st of 23 by CV macro-F1 (0.49–0.50, the
        // next trainer up 0.55) at a third of the default run's CPU, which the attention trainer needs within 5 minutes.
        new("ova-fasttree", "OneVersusAll(FastTree)", normalize: false, supportsWeights: true, supportsOffsets: true, relativeCost: 1.0, (ml, c, seed) =>
            ml.MulticlassClassification.Trainers.OneVersusAll(
                ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
                {
                    LabelColumnName = c.Label, FeatureColumnName = c.Features, ExampleWeightColumnName = c.Weight,
                    NumberOfThreads = FastTreeThreads, NumberOfTrees = 20, NumberOfLeaves = 8, MinimumExampleCountPerLeaf = 20, FeatureFraction = 0.5,
                    FeatureFirstUsePenalty = 0, Seed = seed, MaximumBinCountPerFeature = 32,
                }),
                labelColumnName: c.Label))
        {
            InDefaultComparison = false,
        },
        // ML.NET's LinearSvm accepts a weight column but trains the same model with or without it (a test pins this), so
        // a class-weighted variant would only repeat the unweighted one.
        new("ova-linearsvm", "OneVersusAll(LinearSvm)", normalize: true, supportsWeights: false, supportsOffsets: true, relativeCost: 0.5, (ml, c, seed) =>
            ml.MulticlassClassification.Trainers.OneVersusAll(
                ml.BinaryClassification.Trainers.LinearSvm(new LinearSvmTrainer.Options
                {
                    LabelColumnName = c.Label, FeatureColumnName = c.Features, NumberOfIterations = 20,
                }),
                labelColumnName: c.Label)),
        new("ova-perceptron", "OneVersusAll(AveragedPerceptron)", normalize: true, supportsWeights: false, supportsOffsets: true, relativeCost: 0.15, (ml, c, seed) =>
            ml.MulticlassClassification.Trainers.OneVersusAll(
                ml.BinaryClassification.Trainers.AveragedPerceptron(new AveragedPerceptronTrainer.Options
                {
                    LabelColumnName = c.Label, FeatureColumnName = c.Features, NumberOfIterations = 10,
                }),
                labelColumnName: c.Label)),
        // Ours (ML.NET has no neural trainer): more capacity than the linear models at a few seconds per fit on mean
        // features. It standardizes its inputs and balances classes itself (MlpTraining), hence no normalizer and no
        // weighted variant. By default on mean only: on stats it costs 2.6 times as long and cross-validates lower
        // (macro-F1 0.588 against 0.617 on bal_train, docs/experiments.md), which the default run's 5 minutes cannot afford.
        new("mlp", "Multilayer perceptron (ours: 256 ReLU units, dropout, L2, Adam; class weights ∝ frequency^−½)", normalize: false, supportsWeights: false, supportsOffsets: true, relativeCost: 1.0, (ml, c, seed) =>
            new MlpTrainer(ml, c, seed))
        {
            DefaultFeatures = [FeatureKind.Mean],
        },
        // Ours: the clip's frames as a sequence (after Kong et al. 2018), a shared ReLU layer per frame and class-wise
        // attention pooling over the real frames (AttentionTraining). It needs the frames, so it runs on flat features
        // only: other kinds asked for are left out for it. A fit costs about what mlp's on mean features does, hence a tenth of its cost per
        // dimension. Learning "other" too (open set), it sees every frame of every clip in training: cross-validated
        // 11-class macro-F1 0.351 that way, against 0.342 with frame dropout in both models (docs/experiments.md).
        Attention(AttentionTraining.FrameDropout, forOther: Attention(frameDropout: 0)),
        new("naive-bayes", "NaiveBayes (features > 0 count as present)", normalize: false, supportsWeights: false, supportsOffsets: false, relativeCost: 0.01, (ml, c, seed) =>
            ml.MulticlassClassification.Trainers.NaiveBayes(c.Label, c.Features)),
    ];

    private static TrainerSpec Attention(float frameDropout, TrainerSpec? forOther = null) =>
        new("attention", "Attention network over the frames (ours: 128 ReLU units per frame, class-wise attention pooling, frame dropout, Adam, L2; class weights ∝ frequency^−½)", normalize: false, supportsWeights: false, supportsOffsets: true, relativeCost: 0.1, (ml, c, seed) =>
            new AttentionTrainer(ml, c, seed, frameDropout))
        {
            DefaultFeatures = [FeatureKind.Flat],
            AcceptedFeatures = [FeatureKind.Flat],
            ForOther = forOther,
        };

    /// <summary>Every trainer, in catalog order.</summary>
    public static IReadOnlyList<TrainerSpec> All => Specs;

    /// <summary>Finds a trainer by name; an unknown one is an <see cref="InvalidInputException"/> listing the names.</summary>
    public static TrainerSpec Get(string name) =>
        Specs.FirstOrDefault(s => string.Equals(s.Name, name.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new InvalidInputException($"unknown trainer '{name}': use {string.Join(", ", Specs.Select(s => s.Name))}");
}
