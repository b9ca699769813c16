using Custom.Evaluation;
using Custom.Training.Packaging;

namespace Custom.Training;

/// <summary>What <see cref="ModelEvaluation.Run"/> found.</summary>
public sealed class EvaluationRun
{
    internal EvaluationRun(MetricsDocument metrics, ModelManifest manifest, string engine, string? output)
    {
        Metrics = metrics;
        Manifest = manifest;
        Engine = engine;
        Output = output;
    }

    /// <summary>The figures, as <c>metrics.json</c> holds them (byte-identical to the ones training wrote).</summary>
    public MetricsDocument Metrics { get; }

    /// <summary>The package's manifest.</summary>
    public ModelManifest Manifest { get; }

    /// <summary>What scored the clips: <see cref="ModelEvaluation.OnnxRuntime"/> or <see cref="ModelEvaluation.MlNet"/>.</summary>
    public string Engine { get; }

    /// <summary>The <c>metrics.json</c> written, or null.</summary>
    public string? Output { get; }
}
