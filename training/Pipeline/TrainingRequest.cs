using Custom.Data.Ingest;
using Custom.Data.Selection;

namespace Custom.Training;

/// <summary>What <see cref="TrainingPipeline.Run"/> trains on, how, and where it writes. Only <see cref="Output"/> is required.</summary>
public sealed record TrainingRequest
{
    /// <summary>The AudioSet folder; null finds it as <see cref="AudioSetLocator.Resolve"/> does.</summary>
    public string? Data { get; init; }

    /// <summary>
    /// The output folder. It is replaced as a whole, and only when the run succeeds: package (<c>model.zip</c>,
    /// <c>model.onnx</c>, <c>manifest.json</c>), <c>metrics.json</c>/<c>.md</c>, <c>leaderboard.json</c>/<c>.md</c>,
    /// <c>timings.json</c>, <c>report.html</c>/<c>.md</c>.
    /// </summary>
    public required string Output { get; init; }

    /// <summary>Classes to learn, by name, AudioSet index or MID, in label order; empty for <see cref="ClassSet.Default"/>.</summary>
    public IReadOnlyList<string> Classes { get; init; } = [];

    /// <summary>Which clips are kept (default: exactly one selected label).</summary>
    public SelectionPolicy Policy { get; init; } = SelectionPolicy.ExactlyOne;

    /// <summary>The split cross-validated on and fit on.</summary>
    public string TrainSplit { get; init; } = "bal_train";

    /// <summary>The split reported on (never used to choose).</summary>
    public string EvalSplit { get; init; } = "eval";

    /// <summary>How records are read (CRC checks, corruption policy, threads).</summary>
    public IngestOptions Ingest { get; init; } = IngestOptions.Default;

    /// <summary>What is compared and how (candidates, seed, folds, repeats, parallelism).</summary>
    public TrainingOptions Options { get; init; } = new();

    /// <summary>Told as the run goes, from worker threads; null for silence.</summary>
    public IProgress<PipelineProgress>? Progress { get; init; }
}
