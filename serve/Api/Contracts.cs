using System.Text.Json.Serialization;

namespace Custom.Serve.Api;

/// Body of POST /predict as JSON: clips of VGGish embedding frames (1 to 10 frames of 128 integers 0–255).
internal sealed record PredictRequest(IReadOnlyList<ClipInput>? Clips);

/// One clip: an optional id echoed in the answer, and its frames.
internal sealed record ClipInput(string? Id, int[][]? Frames);

/// Answer of POST /predict: the model used and one prediction per clip (or audio window), in request order.
internal sealed record PredictResponse(string Model, IReadOnlyList<Prediction> Predictions);

/// One clip's prediction. Which identifying fields are set depends on the input: <c>id</c> for JSON clips that had
/// one, <c>video_id</c> and <c>start_time_seconds</c> for TFRecord clips, <c>start_seconds</c> and <c>end_seconds</c>
/// for windows of uploaded audio. They are written first. An open-set model's predictions also say whether the
/// answer is "other".
internal sealed record Prediction(string Label, float Score, IReadOnlyDictionary<string, float> Probabilities)
{
    /// For an open-set model only (null otherwise, so left out): whether the label is "other", none of its classes.
    public bool? Other { get; init; }

    [JsonPropertyOrder(-1)]
    public string? Id { get; init; }

    [JsonPropertyOrder(-1)]
    public string? VideoId { get; init; }

    [JsonPropertyOrder(-1)]
    public float? StartTimeSeconds { get; init; }

    [JsonPropertyOrder(-1)]
    public double? StartSeconds { get; init; }

    [JsonPropertyOrder(-1)]
    public double? EndSeconds { get; init; }
}

/// Answer of GET /healthz and GET /readyz.
internal sealed record HealthResponse(string Status);
