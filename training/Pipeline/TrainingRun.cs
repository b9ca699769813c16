using Custom.Data.Reports;
using Custom.Evaluation;
using Custom.Training.Packaging;

namespace Custom.Training;

/// <summary>What <see cref="TrainingPipeline.Run"/> did: the comparison, the files it wrote and where.</summary>
public sealed class TrainingRun
{
    internal TrainingRun(TrainingResult result, Leaderboard leaderboard, MetricsDocument metrics, ModelManifest manifest, ClassDistribution data, string output)
    {
        Result = result;
        Leaderboard = leaderboard;
        Metrics = metrics;
        Manifest = manifest;
        Data = data;
        Output = output;
    }

    /// <summary>Every candidate's figures and fitted model, best first.</summary>
    public TrainingResult Result { get; }

    /// <summary>The ranking as written to <c>leaderboard.json</c>.</summary>
    public Leaderboard Leaderboard { get; }

    /// <summary>The chosen model on the evaluation split, as written to <c>metrics.json</c>.</summary>
    public MetricsDocument Metrics { get; }

    /// <summary>The package's <c>manifest.json</c>.</summary>
    public ModelManifest Manifest { get; }

    /// <summary>The class distribution of the splits read.</summary>
    public ClassDistribution Data { get; }

    /// <summary>The output folder (full path).</summary>
    public string Output { get; }

    /// <summary>
    /// Whether the figures are the reference ones (<c>artifacts/reference/</c>): true on the 128-bit SIMD path
    /// (<see cref="SimdPath.IsReference"/>); otherwise they are this CPU's own, deterministic on it.
    /// </summary>
    public bool ReferenceSimdPath { get; } = SimdPath.IsReference;
}
