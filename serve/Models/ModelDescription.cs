using System.Text.Json;

namespace Custom.Serve.Models;

/// One entry of GET /models: the name requests use, the classes in label order (an open-set model's end with
/// "other"), whether it is open-set, and the package's headline metrics.
internal sealed record ModelDescription(
    string Name,
    bool Default,
    string? Candidate,
    string? Trainer,
    string? Features,
    string? CreatedUtc,
    IReadOnlyList<string> Classes,
    IReadOnlyDictionary<string, JsonElement> Metrics)
{
    public bool OpenSet { get; init; }
}

/// GET /models: every loaded model, and whether uploaded audio can be classified.
internal sealed record ModelsResponse(IReadOnlyList<ModelDescription> Models, bool AudioFrontEnd);
