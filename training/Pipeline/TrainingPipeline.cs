using Custom.Data;
using Custom.Data.Ingest;
using Custom.Data.Reports;
using Custom.Data.Selection;
using Custom.Evaluation;
using Custom.Evaluation.Reports;
using Custom.Training.Features;
using Custom.Training.OpenSet;
using Custom.Training.Packaging;

namespace Custom.Training;

/// <summary>
/// The training front door: reads the two splits, compares the candidates (<see cref="TrainingSession"/>), and writes
/// the chosen model's package, <c>metrics.json</c>, the leaderboard and the reports into one folder, in one call.
/// <c>custom train</c>, the Cake build and the notebooks all go through it.
/// </summary>
public static class TrainingPipeline
{
    /// <summary>Runs the whole job described by <paramref name="request"/>.</summary>
    /// <param name="request">Data, classes, candidates and the output folder.</param>
    /// <returns>The comparison and what was written.</returns>
    /// <exception cref="InvalidInputException">Missing data, an unknown class or split, damaged records, or options
    /// the data cannot support (e.g. a class with fewer clips than folds), or an output folder that may not be
    /// replaced (see <see cref="TrainingRequest.Force"/>); the message says which.</exception>
    public static TrainingRun Run(TrainingRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var folder = AudioSetLocator.Open(request.Data);
        var classes = request.Classes.Count == 0 ? ClassSet.Default : ClassSet.Resolve(request.Classes, folder.Catalog);
        var selector = new ClipSelector(classes, request.Policy);
        OutputFolder.Check(request.Output, folder.Inputs, request.Force);
        var train = Read(folder, request.TrainSplit, selector, request);
        var eval = Read(folder, request.EvalSplit, selector, request);
        foreach (string warning in DataChecks.Warnings(request.TrainSplit, train, request.EvalSplit, eval, folder.Catalog))
        {
            request.Warning?.Invoke(warning);
        }

        var options = request.Options;
        if (request.Progress is { } progress)
        {
            options = options with { Progress = new Relay<TrainingProgress>(p => progress.Report(new PipelineProgress("training", p.FitsDone, p.Fits,
                $"fit {p.FitsDone + 1}/{p.Fits} {p.Name}: " + (p.Step < p.Steps ? $"fold {p.Step}/{p.Steps - 1}" : "final fit")))) };
        }

        var result = options.OpenSet
            ? RunOpenSet(folder, classes, train, request, options)
            : TrainingSession.Run(classes, train.Clips, eval.Clips, options);
        var leaderboard = result.ToLeaderboard(request.TrainSplit, request.EvalSplit);
        var chosen = result.Chosen;
        var metrics = new MetricsDocument(request.EvalSplit, chosen.Candidate.TrainerName, chosen.Candidate.Features.ToName(), chosen.Eval!)
        {
            OpenSet = result.OpenSet is { } openSet ? new OpenSetSection(openSet.Chosen.Eval!, openSet.Chosen.ClosedFigures) : null,
        };
        var trainFiles = folder.FilesOf(request.TrainSplit);
        var fingerprint = new ModelManifest.DataFingerprintInfo("sha256", request.TrainSplit, trainFiles.Count, DataFingerprint.Compute(folder.Root, trainFiles));
        var data = new ClassDistribution(classes, request.Policy, [new(request.TrainSplit, train.Stats), new(request.EvalSplit, eval.Stats)]);

        request.Progress?.Report(new PipelineProgress("writing", 0, 1, $"writing {request.Output}"));
        ModelManifest? manifest = null;
        OutputFolder.Replace(request.Output, folder.Inputs, request.Force, staging =>
        {
            manifest = ModelPackage.Write(staging, result, request.Policy, fingerprint, metrics, DateTime.UtcNow);
            metrics.Save(Path.Combine(staging, MetricsDocument.FileName));
            AtomicFile.WriteAllText(Path.Combine(staging, "metrics.md"), metrics.ToMarkdown());
            leaderboard.Save(staging);
            TrainingReport.Build(leaderboard, metrics, data).Save(Path.Combine(staging, "report.html"));
            AtomicFile.WriteAllText(Path.Combine(staging, "report.md"), TrainingReport.ToMarkdown(leaderboard, metrics, data));
        });
        request.Progress?.Report(new PipelineProgress("writing", 1, 1, $"wrote {request.Output}"));
        return new TrainingRun(result, leaderboard, metrics, manifest!, data, Path.GetFullPath(request.Output));
    }

    // Open set: the training split's none-clips join the selected ones, and every clip of the evaluation split is scored.
    private static TrainingResult RunOpenSet(AudioSetFolder folder, ClassSet classes, SelectedClips train, TrainingRequest request, TrainingOptions options)
    {
        var trainNone = ReadAll(folder, request.TrainSplit, classes, request).Where(c => c.Positions.Count == 0).Select(c => c.Clip).ToList();
        var eval = ReadAll(folder, request.EvalSplit, classes, request);
        return OpenSetSession.Run(classes, train.Clips, trainNone, eval, options);
    }

    private static IReadOnlyList<OpenSetClip> ReadAll(AudioSetFolder folder, string split, ClassSet classes, TrainingRequest request)
    {
        var ingest = request.Ingest;
        if (request.Progress is { } progress)
        {
            string stage = $"reading all of {split}";
            ingest = ingest with { Progress = new Relay<IngestProgress>(p => progress.Report(new PipelineProgress(stage, p.FilesDone, p.FilesTotal, stage))) };
        }

        return OpenSetClip.Read(folder.FilesOf(split), classes, ingest);
    }

    private static SelectedClips Read(AudioSetFolder folder, string split, ClipSelector selector, TrainingRequest request)
    {
        var files = folder.FilesOf(split);
        var ingest = request.Ingest;
        if (request.Progress is { } progress)
        {
            string stage = $"reading {split}";
            ingest = ingest with { Progress = new Relay<IngestProgress>(p => progress.Report(new PipelineProgress(stage, p.FilesDone, p.FilesTotal, stage))) };
        }

        return AudioSetIngest.ReadSelected(files, selector, ingest);
    }
}

/// Unlike Progress&lt;T&gt;, reports synchronously on the calling thread: a library has no UI thread to post to.
internal sealed class Relay<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
