using Custom.Data.Ingest;

namespace Custom.Training;

/// <summary>What <see cref="ModelEvaluation.Run"/> scores, on what, and where it writes. Only <see cref="Model"/> is required.</summary>
public sealed record EvaluationRequest
{
    /// <summary>
    /// A package folder written by training (scored with <c>model.onnx</c> through ONNX Runtime), or its
    /// <c>model.zip</c> (scored with ML.NET).
    /// </summary>
    public required string Model { get; init; }

    /// <summary>The AudioSet folder; null finds it as <see cref="AudioSetLocator.Resolve"/> does.</summary>
    public string? Data { get; init; }

    /// <summary>The split to score.</summary>
    public string Split { get; init; } = "eval";

    /// <summary>Where to write <c>metrics.json</c> (atomically); null writes nothing.</summary>
    public string? Output { get; init; }

    /// <summary>How records are read (CRC checks, corruption policy, threads).</summary>
    public IngestOptions Ingest { get; init; } = IngestOptions.Default;

    /// <summary>Told as the split is read, from worker threads; null for silence.</summary>
    public IProgress<PipelineProgress>? Progress { get; init; }
}
