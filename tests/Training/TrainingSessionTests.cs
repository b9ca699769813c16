using Custom.Data;
using Custom.Data.Ingest;
using Custom.Data.Selection;
using Custom.Evaluation;
using Custom.Tests.Support;
using Custom.Training;
using Custom.Training.Features;
using Custom.Training.Trainers;
using Microsoft.ML;

namespace Custom.Tests.Training;

/// Small but real: three classes of the real data, two cheap trainers, three folds.
/// Needs the real AudioSet data (AudioSetLocator).
[Trait("Category", "Dataset")]
public sealed class TrainingSessionTests : IDisposable
{
    private static readonly Lazy<(ClassSet Classes, IReadOnlyList<LabeledClip> Train, IReadOnlyList<LabeledClip> Eval)> Data = new(() =>
    {
        var folder = AudioSetData.Folder;
        var selector = new ClipSelector(ClassSet.Resolve(["Dog", "Siren", "Car"], null));
        return (selector.Classes,
            AudioSetIngest.ReadSelected(folder.FilesOf("bal_train"), selector).Clips,
            AudioSetIngest.ReadSelected(folder.FilesOf("eval"), selector).Clips);
    });

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static TrainingOptions Options(int seed = 7) => new()
    {
        Seed = seed,
        Folds = 3,
        Candidates = Candidate.Grid([TrainerCatalog.Get("sdca-maxent"), TrainerCatalog.Get("naive-bayes")], [FeatureKind.Mean]),
    };

    private static TrainingResult Run(TrainingOptions options) => TrainingSession.Run(Data.Value.Classes, Data.Value.Train, Data.Value.Eval, options);

    [Fact]
    public void Candidates_are_ranked_by_cross_validated_macro_f1_and_all_are_scored_on_eval()
    {
        var result = Run(Options());
        Assert.Equal(["sdca-maxent/mean", "sdca-maxent+weighted/mean", "naive-bayes/mean"], Options().Candidates.Select(c => c.Name));
        Assert.Equal(3, result.Ranked.Count);
        for (int i = 1; i < result.Ranked.Count; i++)
        {
            Assert.True(result.Ranked[i - 1].CvMacroF1Mean >= result.Ranked[i].CvMacroF1Mean);
        }

        Assert.All(result.Ranked, r => Assert.Equal(3, r.FoldMacroF1.Count));
        Assert.All(result.Ranked, r => Assert.Equal(Data.Value.Eval.Count, r.Eval!.Count));
        Assert.True(result.Chosen.CvMacroF1Mean > 0.5, $"chosen cv macro-F1 {result.Chosen.CvMacroF1Mean}");
        Assert.All(result.Ranked.SelectMany(r => r.EvalProbabilities!), p => Assert.Equal(1f, p.Sum(), 3)); // NaiveBayes too
    }

    [Fact]
    public void The_same_seed_gives_identical_figures_and_parallelism_does_not_matter()
    {
        string Metrics(TrainingResult r) => new MetricsDocument("eval", "t", "f", r.Chosen.Eval!).ToJson();
        var one = Run(Options() with { Parallelism = 1 });
        var two = Run(Options() with { Parallelism = 2 });
        Assert.Equal(Metrics(one), Metrics(two));
        Assert.Equal(one.Ranked.Select(r => r.FoldMacroF1), two.Ranked.Select(r => r.FoldMacroF1));
        var other = Run(Options(seed: 8));
        Assert.NotEqual(one.Ranked.SelectMany(r => r.FoldMacroF1), other.Ranked.SelectMany(r => r.FoldMacroF1));
    }

    [Fact]
    public void Saved_model_predicts_what_the_session_scored()
    {
        var result = Run(Options());
        string path = _temp.File("model.zip");
        result.SaveModel(path);
        var ml = new MLContext(1);
        var loaded = SavedModel.Load(ml, path);
        var probabilities = SavedModel.Predict(ml, loaded, Data.Value.Eval.Select(c => c.Clip.Frames));
        var expected = result.Chosen.EvalProbabilities!;
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i], probabilities[i]);
        }
    }

    [Fact]
    public void Offsets_variants_share_the_fit_and_are_scored_with_offsets_tuned_on_other_folds()
    {
        var options = Options() with { Candidates = Candidate.Grid([TrainerCatalog.Get("sdca-maxent"), TrainerCatalog.Get("naive-bayes")], [FeatureKind.Mean], weightedVariants: false, offsetVariants: true) };
        Assert.Equal(["sdca-maxent/mean", "sdca-maxent+offsets/mean", "naive-bayes/mean"], options.Candidates.Select(c => c.Name));
        var result = Run(options);
        var plain = result.Ranked.Single(r => r.Candidate.Name == "sdca-maxent/mean");
        var tuned = result.Ranked.Single(r => r.Candidate.Name == "sdca-maxent+offsets/mean");
        Assert.Null(plain.ClassWeights);
        Assert.Equal(3, tuned.ClassWeights!.Count);
        Assert.Equal(1f, tuned.ClassWeights[0]);
        Assert.Same(plain.FinalModel, tuned.FinalModel);

        // The offsets variant's eval figures are the shared model's probabilities with the tuned offsets applied.
        var applied = Custom.Training.Offsets.ClassOffsets.Applied(plain.EvalProbabilities!, tuned.ClassWeights.ToArray());
        Assert.Equal(applied, tuned.EvalProbabilities!);
    }

    [Fact]
    public void Saved_model_with_offsets_predicts_what_the_session_scored()
    {
        var result = Run(Options() with { Candidates = [new Candidate(TrainerCatalog.Get("sdca-maxent"), FeatureKind.Mean, false, Offsets: true)] });
        Assert.NotNull(result.Chosen.ClassWeights);
        string path = _temp.File("model.zip");
        result.SaveModel(path);
        var ml = new MLContext(1);
        var probabilities = SavedModel.Predict(ml, SavedModel.Load(ml, path), Data.Value.Eval.Select(c => c.Clip.Frames));
        Assert.Equal(result.Chosen.EvalProbabilities!, probabilities);
        Assert.Equal(
            new MetricsDocument("eval", "t", "f", result.Chosen.Eval!).ToJson(),
            new MetricsDocument("eval", "t", "f", MulticlassMetrics.Compute(Data.Value.Classes, Data.Value.Eval.Select(c => c.Label).ToArray(), probabilities)).ToJson());
    }

    [Fact]
    public void Saved_perceptron_predicts_what_the_session_scored()
    {
        var result = Run(Options() with { Candidates = [new Candidate(TrainerCatalog.Get("mlp"), FeatureKind.Mean, false, Offsets: true)] });
        string path = _temp.File("model.zip");
        result.SaveModel(path);
        var ml = new MLContext(1);
        var probabilities = SavedModel.Predict(ml, SavedModel.Load(ml, path), Data.Value.Eval.Select(c => c.Clip.Frames));
        Assert.Equal(result.Chosen.EvalProbabilities!, probabilities);
    }

    [Fact]
    public void Repeated_cross_validation_adds_folds_with_other_assignments_and_keeps_the_final_fit()
    {
        var once = Run(Options());
        var steps = new System.Collections.Concurrent.ConcurrentBag<int>();
        var twice = Run(Options() with { Repeats = 2, Progress = new SyncProgress(p => steps.Add(p.Steps)) });
        Assert.Equal(3 * (2 * 3 + 1), steps.Count);                        // three candidates, 2 × 3 folds + the final fit
        Assert.All(steps, s => Assert.Equal(2 * 3 + 1, s));
        foreach (var r in twice.Ranked)
        {
            var single = once.Ranked.Single(o => o.Candidate == r.Candidate);
            Assert.Equal(6, r.FoldMacroF1.Count);
            Assert.Equal(single.FoldMacroF1, r.FoldMacroF1.Take(3));          // repeat 0 is the plain assignment of the seed
            Assert.NotEqual(single.FoldMacroF1, r.FoldMacroF1.Skip(3));       // repeat 1 deals the folds again
            Assert.Equal(r.FoldMacroF1.Average(), r.CvMacroF1Mean, 1e-12);
            Assert.Equal(single.Eval!.MacroF1, r.Eval!.MacroF1);              // the final fit does not depend on the folds
        }

        var error = Assert.Throws<InvalidInputException>(() => Run(Options() with { Repeats = 0 }));
        Assert.Equal("--repeats must be at least 1, not 0", error.Message);
    }

    [Fact]
    public void Offsets_of_a_repeated_run_are_tuned_on_every_repeats_out_of_fold_predictions()
    {
        var candidates = new[] { new Candidate(TrainerCatalog.Get("sdca-maxent"), FeatureKind.Mean, false, Offsets: true) };
        var once = Run(Options() with { Candidates = candidates });
        var twice = Run(Options() with { Candidates = candidates, Repeats = 2 });
        Assert.Equal(6, twice.Chosen.FoldMacroF1.Count);

        // Repeat 0 holds exactly the single run's out-of-fold predictions, so offsets tuned on it alone would equal the
        // single run's.
        Assert.NotEqual(once.Chosen.ClassWeights!, twice.Chosen.ClassWeights!);
        var applied = Custom.Training.Offsets.ClassOffsets.Applied(
            Run(Options() with { Candidates = [candidates[0] with { Offsets = false }] }).Chosen.EvalProbabilities!,
            twice.Chosen.ClassWeights!.ToArray());
        Assert.Equal(applied, twice.Chosen.EvalProbabilities!);
    }

    private sealed class SyncProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }

    [Fact]
    public void Too_few_clips_for_the_folds_is_a_clear_error()
    {
        var few = Data.Value.Train.Where(c => c.Label != 0).Concat(Data.Value.Train.Where(c => c.Label == 0).Take(2)).ToList();
        var error = Assert.Throws<InvalidInputException>(() => TrainingSession.Run(Data.Value.Classes, few, null, Options()));
        Assert.Equal("class 'Dog' has 2 clips in the training data, fewer than the 3 folds: choose fewer --folds or drop the class", error.Message);
        Assert.Contains("no clips selected", Assert.Throws<InvalidInputException>(() => TrainingSession.Run(Data.Value.Classes, [], null, Options())).Message);
        Assert.Contains("unknown trainer 'svm'", Assert.Throws<InvalidInputException>(() => TrainerCatalog.Get("svm")).Message);
    }
}
