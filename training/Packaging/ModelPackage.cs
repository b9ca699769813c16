using System.Globalization;
using System.Security.Cryptography;
using Custom.Data.Selection;
using Custom.Evaluation;
using Custom.Training.Features;
using Custom.Training.Onnx;

namespace Custom.Training.Packaging;

/// <summary>
/// Writes the package of a run's chosen model into a folder: <c>model.zip</c> (ML.NET), <c>model.onnx</c> (when the
/// family can be exported) and <c>manifest.json</c> with the SHA-256 of each model file. Callers write into a
/// staging folder and swap it into place (see <see cref="Custom.Data.AtomicDirectory"/>), so a failed run never
/// leaves half a package.
/// </summary>
public static class ModelPackage
{
    /// <summary>The ML.NET model file.</summary>
    public const string ModelZip = Custom.Inference.PackageContract.ModelZipFile;

    /// <summary>The ONNX model file.</summary>
    public const string ModelOnnx = Custom.Inference.PackageContract.OnnxFile;

    /// <summary>Writes the package files and returns the manifest written.</summary>
    public static ModelManifest Write(string folder, TrainingResult run, SelectionPolicy policy, ModelManifest.DataFingerprintInfo fingerprint, MetricsDocument? metrics, DateTime createdUtc)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        string zip = Path.Combine(folder, ModelZip);
        run.SaveModel(zip);
        files[ModelZip] = Sha256(zip);

        var onnx = OnnxExport.TryExport(run, out string? refusal);
        if (onnx is not null)
        {
            string onnxPath = Path.Combine(folder, ModelOnnx);
            Custom.Data.AtomicFile.Write(onnxPath, stream => stream.Write(onnx));
            files[ModelOnnx] = Sha256(onnxPath);
        }

        var chosen = run.Chosen.Candidate;
        var manifest = new ModelManifest
        {
            Candidate = chosen.Name,
            Trainer = chosen.TrainerName,
            Features = chosen.Features.ToName(),
            Seed = run.Options.Seed,
            Folds = run.Options.Folds,
            Repeats = run.Options.Repeats,
            Policy = policy.ToName(),
            Classes = run.Classes.ToList(),
            FeatureSpec = new ModelManifest.FeatureDescription(chosen.Features.ToName(), chosen.Features.Dimension(), Featurizer.FrameSize, Featurizer.MaxFrames, Featurizer.Scale, Featurizer.Offset),
            Metrics = metrics is null ? null : new ModelManifest.HeadlineMetrics(metrics.Split, metrics.Metrics.Count, metrics.Metrics.Accuracy, metrics.Metrics.MacroF1, metrics.Metrics.BalancedAccuracy, metrics.Metrics.WeightedF1, metrics.Metrics.ReportedLogLoss),
            DataFingerprint = fingerprint,
            Onnx = onnx is null ? null : new ModelManifest.OnnxInfo(ModelOnnx, OnnxFeaturizer.FramesInput, OnnxFeaturizer.FrameCountInput, OnnxExport.ProbabilitiesOutput, OnnxExport.LabelOutput),
            OnnxRefused = refusal,
            OpenSet = run.OpenSet is null ? null : true,
            ClosedReference = run.OpenSet?.Chosen.ClosedFigures,
            OpenSetMaxDrop = run.OpenSet is null ? null : run.Options.OpenSetMaxDrop,
            CreatedUtc = createdUtc.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            Files = files,
        };
        manifest.Save(Path.Combine(folder, ModelManifest.FileName));
        return manifest;
    }

    /// <summary>Lower-case hex SHA-256 of a file.</summary>
    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
