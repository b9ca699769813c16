using System.Text.Json;
using System.Text.Json.Serialization;
using Custom.Data;
using Custom.Data.Selection;

namespace Custom.Training.Packaging;

/// <summary>
/// <c>manifest.json</c> beside a saved model: what it predicts (classes in label order), how it was trained, and the
/// names its metrics are filed under. <c>custom evaluate</c> reads it to score a model exactly as training did.
/// </summary>
public sealed record ModelManifest
{
    /// <summary>Version of the JSON shape; bumped only when a field is renamed or removed.</summary>
    public const int CurrentSchemaVersion = Custom.Inference.PackageContract.SchemaVersion;

    /// <summary>The usual file name.</summary>
    public const string FileName = Custom.Inference.PackageContract.ManifestFile;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // '+' in names stays '+'
    };

    /// <summary>Shape version.</summary>
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>Candidate name, e.g. <c>lightgbm+weighted/stats</c>.</summary>
    public required string Candidate { get; init; }

    /// <summary>Trainer name with the weighting, e.g. <c>lightgbm+weighted</c>.</summary>
    public required string Trainer { get; init; }

    /// <summary>Feature kind name.</summary>
    public required string Features { get; init; }

    /// <summary>Seed of the run.</summary>
    public int Seed { get; init; }

    /// <summary>Cross-validation folds of the run.</summary>
    public int Folds { get; init; }

    /// <summary>Cross-validation repeats of the run (each with its own fold assignment).</summary>
    public int Repeats { get; init; } = 1;

    /// <summary>Selection policy of the training data.</summary>
    public required string Policy { get; init; }

    /// <summary>Classes in label order.</summary>
    public required IReadOnlyList<SoundClass> Classes { get; init; }

    /// <summary>How frames become features (the same description drives training, evaluation and export).</summary>
    public FeatureDescription? FeatureSpec { get; init; }

    /// <summary>Headline figures of the model on the evaluation split.</summary>
    public HeadlineMetrics? Metrics { get; init; }

    /// <summary>Fingerprint of the training data: SHA-256 over the ordered input file names and bytes.</summary>
    public DataFingerprintInfo? DataFingerprint { get; init; }

    /// <summary>The ONNX model's file and tensor names, or null when the chosen family cannot be exported.</summary>
    public OnnxInfo? Onnx { get; init; }

    /// <summary>Why no ONNX model was written, when <see cref="Onnx"/> is null.</summary>
    public string? OnnxRefused { get; init; }

    /// <summary>
    /// True when the model can answer "other" (<see cref="Custom.Inference.PackageContract.OtherClass"/>, the last of
    /// <see cref="Classes"/>) for a clip that is none of its classes; absent (null) for a closed model.
    /// </summary>
    public bool? OpenSet { get; init; }

    /// <summary>For an open-set model, the closed twin's figures on the evaluation split, reported beside its own.</summary>
    public Custom.Evaluation.ClosedFigures? ClosedReference { get; init; }

    /// <summary>For an open-set model, how far its calibration let the classes' own figures fall below the closed twin's
    /// (<see cref="TrainingOptions.OpenSetMaxDrop"/>).</summary>
    public double? OpenSetMaxDrop { get; init; }

    /// <summary>Whether <see cref="OpenSet"/> is set.</summary>
    [JsonIgnore]
    public bool IsOpenSet => OpenSet == true;

    /// <summary>When the package was written (UTC, ISO 8601).</summary>
    public string? CreatedUtc { get; init; }

    /// <summary>SHA-256 (lower-case hex) of each package file, by file name.</summary>
    public IReadOnlyDictionary<string, string>? Files { get; init; }

    /// <summary>Feature description.</summary>
    public sealed record FeatureDescription(string Kind, int Dimension, int FrameSize, int MaxFrames, float DequantizeScale, float DequantizeOffset);

    /// <summary>Headline figures.</summary>
    public sealed record HeadlineMetrics(string Split, int Clips, double Accuracy, double MacroF1, double BalancedAccuracy, double WeightedF1, double LogLoss);

    /// <summary>Training data fingerprint.</summary>
    public sealed record DataFingerprintInfo(string Algorithm, string Split, int Files, string Sha256);

    /// <summary>ONNX file and tensor names: inputs frames uint8 [N,10,128] and frame_count int64 [N]; outputs
    /// probabilities float [N,K] and label int64 [N].</summary>
    public sealed record OnnxInfo(string File, string FramesInput, string FrameCountInput, string ProbabilitiesOutput, string LabelOutput);

    /// <summary>The class set (for an open-set model, "other" last).</summary>
    public ClassSet ToClassSet() => new(Classes);

    /// <summary>The classes a clip's labels are matched against: all of them, less "other" for an open-set model.</summary>
    public ClassSet KnownClasses() => new(IsOpenSet ? Classes.Take(Classes.Count - 1) : Classes);

    /// <summary>Writes the manifest (atomically).</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Json) + "\n");

    /// <summary>Reads a manifest; a missing or malformed one is an <see cref="InvalidInputException"/>.</summary>
    public static ModelManifest Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new InvalidInputException($"{path}: manifest not found (a model folder written by 'custom train' has one)");
        }

        try
        {
            return JsonSerializer.Deserialize<ModelManifest>(File.ReadAllText(path), Json)
                ?? throw new InvalidInputException($"{path}: empty manifest");
        }
        catch (JsonException e)
        {
            throw new InvalidInputException($"{path}: not a valid manifest: {e.Message}");
        }
    }
}
