using Custom.Data;
using Custom.Data.Ingest;
using Custom.Data.Selection;
using Custom.Training;
using Custom.Training.Features;
using Custom.Training.Trainers;
using Custom.Training.Trainers.Attention;
using Custom.Training.Validation;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Custom.Tests.Training.Trainers;

public sealed class AttentionTrainerTests
{
    // Every clip holds two event frames among noise frames: in class 0 dimensions 0 and 1 agree in sign on each event
    // frame (+ +, − −), in class 1 they disagree (+ −, − +). Every dimension's mean, standard deviation and maximum over
    // the clip have the same distribution in both classes, so only a model of the frames can tell them apart.
    private static (byte[][] Frames, int[] Labels) HiddenInOneFrame(int count, int seed)
    {
        var random = new Random(seed);
        var clips = new byte[count][];
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            int frames = 2 + random.Next(9);
            var bytes = new byte[frames * Featurizer.FrameSize];
            for (int j = 0; j < bytes.Length; j++)
            {
                bytes[j] = (byte)random.Next(100, 156);
            }

            int first = random.Next(frames);
            int second = (first + 1 + random.Next(frames - 1)) % frames;
            labels[i] = i % 2;
            bytes[first * Featurizer.FrameSize] = 230;
            bytes[first * Featurizer.FrameSize + 1] = labels[i] == 0 ? (byte)230 : (byte)25;
            bytes[second * Featurizer.FrameSize] = 25;
            bytes[second * Featurizer.FrameSize + 1] = labels[i] == 0 ? (byte)25 : (byte)230;
            clips[i] = bytes;
        }

        return (clips, labels);
    }

    private static FeatureTable Table(FeatureKind kind, byte[][] clips, int[] labels, int classes = 2) =>
        new(clips.Select(c => Featurizer.Compute(kind, c)).ToArray(), labels, classes);

    private static double Accuracy(ITransformer model, FeatureTable table)
    {
        var ml = new MLContext(1);
        var scores = CandidateFit.Probabilities(model.Transform(table.View(ml, Enumerable.Range(0, table.Count).ToArray(), classWeighted: false)));
        return Enumerable.Range(0, table.Count).Count(i => Array.IndexOf(scores[i], scores[i].Max()) == table.Labels[i]) / (double)table.Count;
    }

    [Fact]
    public void Learns_a_class_that_shows_in_single_frames_and_not_in_the_clip_statistics()
    {
        var (train, trainLabels) = HiddenInOneFrame(800, 1);
        var (test, testLabels) = HiddenInOneFrame(400, 2);
        var all = Enumerable.Range(0, train.Length).ToArray();

        var attention = new Candidate(TrainerCatalog.Get("attention"), FeatureKind.Flat, false);
        var mlp = new Candidate(TrainerCatalog.Get("mlp"), FeatureKind.Stats, false);
        double attentionAccuracy = Accuracy(CandidateFit.Fit(attention, Table(FeatureKind.Flat, train, trainLabels), all, 1), Table(FeatureKind.Flat, test, testLabels));
        double statsAccuracy = Accuracy(CandidateFit.Fit(mlp, Table(FeatureKind.Stats, train, trainLabels), all, 1), Table(FeatureKind.Stats, test, testLabels));
        Assert.True(attentionAccuracy >= 0.95, $"attention accuracy {attentionAccuracy}");
        Assert.True(statsAccuracy <= 0.65, $"the clip statistics carry the class: the perceptron on stats reaches {statsAccuracy}");
    }

    [Fact]
    public void A_seed_gives_the_same_network_and_another_seed_another()
    {
        var (clips, labels) = HiddenInOneFrame(200, 3);
        var features = clips.Select(c => Featurizer.Compute(FeatureKind.Flat, c)).ToArray();
        var first = AttentionTraining.Train(features, labels, 2, seed: 5).Packed;
        Assert.Equal(first, AttentionTraining.Train(features, labels, 2, seed: 5).Packed);
        Assert.NotEqual(first, AttentionTraining.Train(features, labels, 2, seed: 6).Packed);
    }

    [Fact]
    public void Frames_left_out_in_training_keep_their_order_and_never_leave_a_clip_empty()
    {
        var frames = Enumerable.Range(0, 10).Select(t => new[] { (float)t }).ToArray();
        var kept = new float[10][];
        var random = new Random(7);
        int total = 0;
        const int draws = 10_000;
        for (int i = 0; i < draws; i++)
        {
            int count = AttentionTraining.KeepFrames(frames, random, kept);
            var order = kept.Take(count).Select(f => f[0]).ToArray();
            Assert.InRange(count, 1, 10);
            Assert.Equal(order.Order(), order);
            Assert.Equal(order.Distinct().Count(), count);
            total += count;
        }

        // Each frame stays with chance 0.8: 8 of 10 on average, binomial standard error 0.004 over these draws.
        Assert.InRange(total / (double)draws, 7.95, 8.05);

        // Every frame left out: one drawn at random stays, a different one across draws.
        var alone = Enumerable.Range(0, 200).Select(_ =>
        {
            Assert.Equal(1, AttentionTraining.KeepFrames(frames, random, kept, rate: 1));
            return kept[0][0];
        }).Distinct().Count();
        Assert.Equal(10, alone);

        Assert.Equal(10, AttentionTraining.KeepFrames(frames, random, kept, rate: 0));
        Assert.Equal(frames, kept);
        Assert.Equal(1, AttentionTraining.KeepFrames(frames.AsSpan(3, 1), random, kept, rate: 1));
        Assert.Same(frames[3], kept[0]);
    }

    [Fact]
    public void The_catalog_trains_with_frame_dropout_and_learns_other_without_it()
    {
        var (clips, labels) = HiddenInOneFrame(120, 4);
        var features = clips.Select(c => Featurizer.Compute(FeatureKind.Flat, c)).ToArray();
        var table = Table(FeatureKind.Flat, clips, labels);
        var all = Enumerable.Range(0, clips.Length).ToArray();
        var spec = TrainerCatalog.Get("attention");
        float[] Fitted(TrainerSpec trainer) =>
            ((NetworkModel<AttentionNetwork>)CandidateFit.Fit(new Candidate(trainer, FeatureKind.Flat, false), table, all, 3)).Network.Packed;

        var dropping = AttentionTraining.Train(features, labels, 2, seed: 3).Packed;
        var everyFrame = AttentionTraining.Train(features, labels, 2, seed: 3, frameDropout: 0).Packed;
        Assert.NotEqual(dropping, everyFrame);
        Assert.Equal(dropping, Fitted(spec));
        Assert.Equal(everyFrame, Fitted(spec.LearningOther));
        Assert.Equal(spec.Name, spec.LearningOther.Name);
    }

    [Fact]
    public void The_real_frames_are_recovered_from_flat_features_since_no_byte_dequantizes_to_zero()
    {
        Assert.DoesNotContain(0f, Enumerable.Range(0, 256).Select(b => Featurizer.Dequantize((byte)b)));
        var bytes = new byte[10 * Featurizer.FrameSize];
        Array.Fill(bytes, (byte)127);
        for (int n = 1; n <= 10; n++)
        {
            Assert.Equal(n, AttentionNetwork.FrameCount(Featurizer.Compute(FeatureKind.Flat, bytes.AsSpan(0, n * Featurizer.FrameSize)), Featurizer.FrameSize));
        }
    }

    [Fact]
    public void Frames_after_the_real_ones_never_change_the_probabilities()
    {
        var (clips, labels) = HiddenInOneFrame(300, 4);
        var network = AttentionTraining.Train(clips.Select(c => Featurizer.Compute(FeatureKind.Flat, c)).ToArray(), labels, 2, seed: 1);
        var ml = new MLContext(1);
        var model = Custom.Training.Trainers.Attention.AttentionMapping.Fit(ml, ml.Data.LoadFromEnumerable(new[] { new FlatRow() }), network);
        var random = new Random(7);
        foreach (var clip in clips.Take(30))
        {
            var expected = network.Probabilities(Featurizer.Compute(FeatureKind.Flat, clip));

            // Through the saved model's featurizer: bytes beyond the frame count hold garbage.
            var input = FrameInput.From(clip);
            random.NextBytes(input.Frames.AsSpan(input.FrameCount * Featurizer.FrameSize));
            var pipeline = FeaturizerMapping.Estimator(ml, FeatureKind.Flat).Fit(ml.Data.LoadFromEnumerable(new[] { input }));
            var scored = model.Transform(pipeline.Transform(ml.Data.LoadFromEnumerable(new[] { input })));
            Assert.Equal(expected, scored.GetColumn<float[]>("Score").Single());
        }
    }

    [Fact]
    public void Other_feature_kinds_and_damaged_weights_are_refused_with_the_reason()
    {
        var random = new Random(5);
        var clips = Enumerable.Range(0, 40).Select(i => new LabeledClip(Support.SmallPackageFixture.Clip($"c{i}", i % 10, 1 + i % 10, random), i % 10)).ToList();
        var error = Assert.Throws<InvalidInputException>(() => TrainingSession.Run(ClassSet.Default, clips, null,
            new TrainingOptions { Folds = 2, Parallelism = 1, Candidates = [new Candidate(TrainerCatalog.Get("attention"), FeatureKind.Mean, false)] }));
        Assert.Equal("the attention trainer models a clip's frames and takes flat features (1280 values), not 128: use --features flat or leave --features out", error.Message);

        var (few, labels) = HiddenInOneFrame(20, 6);
        var network = AttentionTraining.Train(few.Select(c => Featurizer.Compute(FeatureKind.Flat, c)).ToArray(), labels, 2, seed: 1);
        var damaged = Assert.Throws<InvalidDataException>(() => new AttentionNetwork(network.Packed[..^1]));
        Assert.Contains($"not the 1 × (128 × {AttentionTraining.HiddenUnits} × 2) network their header gives", damaged.Message);
        var wrongLength = Assert.Throws<ArgumentException>(() => network.Probabilities(new float[128]));
        Assert.Equal("the attention network takes 1280 flat features (10 frames of 128), not 128", wrongLength.Message);
    }

    [Fact]
    public void The_grid_runs_attention_on_flat_features_only_and_refuses_other_kinds_asked_of_it_alone()
    {
        var names = TrainingOptions.DefaultCandidates.Select(c => c.Name).ToList();
        Assert.Contains("attention/flat", names);
        Assert.DoesNotContain("attention/mean", names);
        Assert.DoesNotContain("attention/stats", names);
        Assert.DoesNotContain("lbfgs-maxent/flat", names);
        Assert.Equal(["attention/flat"], Candidate.Grid([TrainerCatalog.Get("attention")], features: null).Select(c => c.Name));
        Assert.DoesNotContain(Candidate.Grid(TrainerCatalog.All, [FeatureKind.Mean, FeatureKind.Stats]), c => c.Trainer.Name == "attention");
        Assert.Equal(["attention/flat", "mlp/flat"], Candidate.Grid([TrainerCatalog.Get("attention"), TrainerCatalog.Get("mlp")], [FeatureKind.Flat]).Select(c => c.Name));
        var error = Assert.Throws<InvalidInputException>(() => Candidate.Grid([TrainerCatalog.Get("attention")], [FeatureKind.Mean, FeatureKind.Stats]));
        Assert.Equal("the attention trainer takes flat features only, not mean, stats: use --features flat or leave --features out", error.Message);
    }

    private sealed class FlatRow
    {
        [VectorType(1280)]
        public float[] Features { get; set; } = new float[1280];
    }
}
