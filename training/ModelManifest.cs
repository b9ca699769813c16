using System.Text.Json;
using System.Text.Json.Serialization;
using Custom.Data;
using Custom.Data.Selection;

namespace Custom.Training;

/// <summary>
/// <c>manifest.json</c> beside a saved model: what it predicts (classes in label order), how it was trained, and the
/// names its metrics are filed under. <c>custom evaluate</c> reads it to score a model exactly as training did.
/// </summary>
public sealed record ModelManifest
{
    /// <summary>Version of the JSON shape; bumped only when a field is renamed or removed.</summary>
    public const int CurrentSchemaVersion = 1;

    /// <summary>The usual file name.</summary>
    public const string FileName = "manifest.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
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

    /// <summary>Selection policy of the training data.</summary>
    public required string Policy { get; init; }

    /// <summary>Classes in label order.</summary>
    public required IReadOnlyList<SoundClass> Classes { get; init; }

    /// <summary>The class set.</summary>
    public ClassSet ToClassSet() => new(Classes);

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
