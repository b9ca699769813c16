using System.Text.Json;
using System.Text.Json.Serialization;
using Custom.Serve.Models;

namespace Custom.Serve.Api;

/// The service's JSON: snake_case names like the project's other files, nulls left out. Source-generated, so
/// serializing costs no reflection per request.
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PredictRequest))]
[JsonSerializable(typeof(PredictResponse))]
[JsonSerializable(typeof(ModelsResponse))]
[JsonSerializable(typeof(HealthResponse))]
internal sealed partial class ServeJson : JsonSerializerContext;
