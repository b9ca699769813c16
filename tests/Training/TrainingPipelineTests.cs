using System.Text.Json;
using Custom.Data;
using Custom.Data.Selection;
using Custom.Evaluation;
using Custom.Tests.Support;
using Custom.Training;
using Custom.Training.Features;
using Custom.Training.Trainers;

namespace Custom.Tests.Training;

/// The front doors on a fixture dataset made in code: one call trains, packages and reports; one call evaluates.
public sealed class TrainingPipelineTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private TrainingRequest Request(string data, string output) => new()
    {
        Data = data,
        Output = output,
        Options = new TrainingOptions
        {
            Folds = 2,
            Candidates = Candidate.Grid([TrainerCatalog.Get("lbfgs-maxent"), TrainerCatalog.Get("naive-bayes")], [FeatureKind.Mean], weightedVariants: false),
        },
    };

    [Fact]
    public void Run_writes_package_leaderboard_metrics_and_reports_and_evaluation_reproduces_the_metrics()
    {
        string data = FixtureDataset.Write(_temp.Folder("audioset"), ClassSet.Default);
        string output = Path.Combine(_temp.Path, "model");
        var stages = new List<string>();
        var run = TrainingPipeline.Run(Request(data, output) with { Progress = new Collect(p => { lock (stages) { stages.Add(p.Stage); } }) });

        Assert.Equal(Path.GetFullPath(output), run.Output);
        foreach (string file in new[] { "model.zip", "model.onnx", "manifest.json", "metrics.json", "metrics.md", "leaderboard.json", "leaderboard.md", "timings.json", "report.html", "report.md" })
        {
            Assert.True(File.Exists(Path.Combine(output, file)), file);
        }

        Assert.Equal(["reading bal_train", "reading eval", "training", "writing"], stages.Distinct());
        Assert.Equal(2, run.Leaderboard.Ranked.Count);
        Assert.Equal(run.Result.Chosen.Candidate.Name, run.Leaderboard.Chosen.Name);
        Assert.Equal(run.Leaderboard.Chosen.Name, run.Manifest.Candidate);
        Assert.Equal(40, run.Metrics.Metrics.Count);                     // 10 classes × 4 eval clips
        Assert.True(run.Metrics.Metrics.MacroF1 > 0.9, $"macro-F1 {run.Metrics.Metrics.MacroF1}: the fixture's classes are easy to tell apart");
        Assert.Equal(run.Leaderboard.ToJson(), File.ReadAllText(Path.Combine(output, "leaderboard.json")));
        Assert.Equal(run.Metrics.ToJson(), File.ReadAllText(Path.Combine(output, "metrics.json")));

        // timings.json keeps '+' as written.
        Assert.DoesNotContain("\\u002B", File.ReadAllText(Path.Combine(output, "timings.json")), StringComparison.Ordinal);

        // Evaluation, from the package (ONNX Runtime) and from model.zip (ML.NET): the same bytes training wrote.
        foreach (string model in new[] { output, Path.Combine(output, "model.zip") })
        {
            string again = _temp.File($"again-{Guid.NewGuid():N}.json");
            var evaluated = ModelEvaluation.Run(new EvaluationRequest { Model = model, Data = data, Output = again });
            Assert.Equal(model == output ? ModelEvaluation.OnnxRuntime : ModelEvaluation.MlNet, evaluated.Engine);
            Assert.Equal(File.ReadAllText(Path.Combine(output, "metrics.json")), File.ReadAllText(again));
        }
    }

    [Fact]
    public void Ranking_is_the_same_rule_in_training_and_in_the_leaderboard()
    {
        string data = FixtureDataset.Write(_temp.Folder("audioset"), ClassSet.Default);
        var run = TrainingPipeline.Run(Request(data, Path.Combine(_temp.Path, "model")));
        Assert.Equal(run.Result.Ranked.Select(r => r.Candidate.Name), run.Leaderboard.Ranked.Select(e => e.Name));
        for (int i = 0; i < run.Result.Ranked.Count; i++)
        {
            Assert.Equal(run.Result.Ranked[i].CvMacroF1Mean, run.Leaderboard.Ranked[i].CvMacroF1Mean);
            Assert.Equal(run.Result.Ranked[i].CvMacroF1Std, run.Leaderboard.Ranked[i].CvMacroF1Std);
        }

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(run.Output, "leaderboard.json")));
        Assert.Equal(run.Result.Chosen.Candidate.Name, json.RootElement.GetProperty("chosen_name").GetString());
    }

    [Fact]
    public void Missing_data_is_an_input_error_that_says_how_to_get_it_and_leaves_the_output_alone()
    {
        string output = _temp.Folder("model");
        File.WriteAllText(Path.Combine(output, "keep.txt"), "kept");
        var error = Assert.Throws<InvalidInputException>(() => TrainingPipeline.Run(Request(_temp.Folder("empty"), output)));
        Assert.Contains("custom data fetch", error.Message, StringComparison.Ordinal);
        Assert.Equal("kept", File.ReadAllText(Path.Combine(output, "keep.txt")));
    }

    [Fact]
    public void The_rule_ranks_by_mean_then_name_with_the_sample_std()
    {
        var ranked = Ranking.Rank([("b", new[] { 0.5, 0.7 }), ("a", new[] { 0.6, 0.6 }), ("c", new[] { 0.9, 0.1 })], x => x.Item1, x => x.Item2);
        Assert.Equal(["a", "b", "c"], ranked.Select(x => x.Item1));   // a and b tie at 0.6: by name; c's mean is 0.5
        Assert.Equal(0.6, Ranking.Mean([0.5, 0.7]), 1e-15);
        Assert.Equal(Math.Sqrt(0.02), Ranking.SampleStd([0.5, 0.7]), 1e-15);
        Assert.Equal(0, Ranking.SampleStd([0.5]));
        Assert.Equal(0, Ranking.Mean([]));
    }

    private sealed class Collect(Action<PipelineProgress> report) : IProgress<PipelineProgress>
    {
        public void Report(PipelineProgress value) => report(value);
    }
}
