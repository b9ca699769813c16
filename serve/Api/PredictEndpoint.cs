using Custom.Inference;
using Custom.Serve.Audio;
using Custom.Serve.Models;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Custom.Serve.Api;

/// POST /predict: reads the body by its content type (JSON clips, a TFRecord file, or a multipart upload with a
/// 'tfrecord' or 'audio' field), scores every clip with the chosen model and answers in request order. Each request
/// works on its own body and results only; the catalog and classifiers it reads are shared and thread-safe.
internal sealed class PredictEndpoint(ModelCatalog catalog, ServeOptions options)
{
    public const string TfRecordField = "tfrecord";
    public const string AudioField = "audio";

    private static readonly string[] TfRecordTypes = ["application/octet-stream", "application/x-tfrecord"];

    public async Task<IResult> HandleAsync(HttpContext http)
    {
        try
        {
            var model = ChooseModel(http.Request);
            var mediaType = ContentType(http.Request);
            using var body = await RequestBody.ReadAsync(http.Request, options.MaxBodyBytes, http.RequestAborted);
            IReadOnlyList<Prediction> predictions;
            if (IsJson(mediaType))
            {
                var clips = ParsedClips.Parse(body.Span);
                predictions = Score(model, clips.Frames, (i, p) => p with { Id = clips.Ids[i] });
            }
            else if (TfRecordTypes.Contains(mediaType.MediaType.Value, StringComparer.OrdinalIgnoreCase))
            {
                predictions = ScoreTfRecord(model, body.Memory, "request body");
            }
            else if (mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            {
                predictions = await ScoreMultipartAsync(model, mediaType, body, http.RequestAborted);
            }
            else
            {
                throw UnsupportedType(mediaType.MediaType.Value);
            }

            return TypedResults.Json(new PredictResponse(model.Name, predictions), ServeJson.Default.PredictResponse);
        }
        catch (RequestProblem problem)
        {
            return problem.ToResult();
        }
    }

    /// POST /bench/bare: reads and checks a JSON body exactly as /predict does, then answers a constant. The ceiling
    /// `custom bench serve` measures /predict against.
    public async Task<IResult> HandleBareAsync(HttpContext http)
    {
        try
        {
            ChooseModel(http.Request);
            if (!IsJson(ContentType(http.Request)))
            {
                throw UnsupportedType(http.Request.ContentType);
            }

            using var body = await RequestBody.ReadAsync(http.Request, options.MaxBodyBytes, http.RequestAborted);
            ParsedClips.Parse(body.Span);
            return TypedResults.Json(new HealthResponse("ok"), ServeJson.Default.HealthResponse);
        }
        catch (RequestProblem problem)
        {
            return problem.ToResult();
        }
    }

    private LoadedModel ChooseModel(HttpRequest request)
    {
        string? name = request.Query["model"];
        return catalog.Find(name) ?? throw RequestProblem.BadRequest(
            $"unknown model '{name}'; this server has {string.Join(", ", catalog.All.Select(m => m.Name))} (GET /models)");
    }

    private static MediaTypeHeaderValue ContentType(HttpRequest request)
    {
        if (string.IsNullOrEmpty(request.ContentType) || !MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed))
        {
            throw UnsupportedType(request.ContentType);
        }

        return parsed;
    }

    private static bool IsJson(MediaTypeHeaderValue type) =>
        type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || type.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase);

    private static RequestProblem UnsupportedType(string? contentType) =>
        new(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
            $"Content-Type '{contentType}' is not accepted; send application/json ({ParsedClips.Shape}), " +
            $"application/octet-stream (a .tfrecord file), or multipart/form-data with a '{TfRecordField}' or '{AudioField}' file field");

    /// Scores the clips in one batch; <paramref name="identify"/> adds each prediction's identifying fields.
    private static IReadOnlyList<Prediction> Score(LoadedModel model, IReadOnlyList<ReadOnlyMemory<byte>> frames, Func<int, Prediction, Prediction> identify)
    {
        var scored = model.Classifier.PredictBatch(frames);
        var classes = model.Classifier.Classes;
        var predictions = new Prediction[scored.Count];
        for (int i = 0; i < scored.Count; i++)
        {
            var probabilities = new Dictionary<string, float>(classes.Count, StringComparer.Ordinal);
            for (int c = 0; c < classes.Count; c++)
            {
                probabilities[classes[c]] = scored[i].Probabilities[c];
            }

            predictions[i] = identify(i, new Prediction(scored[i].ClassName, scored[i].Score, probabilities) { Other = model.Classifier.OpenSet ? scored[i].IsOther : null });
        }

        return predictions;
    }

    private static IReadOnlyList<Prediction> ScoreTfRecord(LoadedModel model, ReadOnlyMemory<byte> bytes, string sourceName)
    {
        var clips = TfRecordClips.Read(bytes, sourceName);
        if (clips.Count == 0)
        {
            throw RequestProblem.BadRequest($"{sourceName}: the TFRecord holds no records");
        }

        return Score(model, clips.Select(c => c.Frames).ToList(),
            (i, p) => p with { VideoId = clips[i].VideoId, StartTimeSeconds = clips[i].StartTimeSeconds });
    }

    private async Task<IReadOnlyList<Prediction>> ScoreMultipartAsync(LoadedModel model, MediaTypeHeaderValue type, RequestBody body, CancellationToken cancellationToken)
    {
        string boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value ?? "";
        if (boundary.Length == 0)
        {
            throw RequestProblem.BadRequest("multipart/form-data without a boundary parameter in Content-Type");
        }

        var reader = new MultipartReader(boundary, body.AsStream());
        var seen = new List<string>();
        try
        {
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition))
                {
                    continue;
                }

                string name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                string? fileName = HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
                seen.Add(name);
                if (name is not (TfRecordField or AudioField))
                {
                    continue;
                }

                using var content = new MemoryStream();
                await section.Body.CopyToAsync(content, cancellationToken);
                if (name == TfRecordField)
                {
                    return ScoreTfRecord(model, content.GetBuffer().AsMemory(0, (int)content.Length), fileName ?? TfRecordField);
                }

                content.Position = 0;
                return ScoreAudio(model, content, fileName, cancellationToken);
            }
        }
        catch (IOException e)
        {
            throw RequestProblem.BadRequest($"malformed multipart/form-data body: {e.Message}");
        }

        throw RequestProblem.BadRequest(
            $"the multipart body has no '{TfRecordField}' or '{AudioField}' field (fields sent: {(seen.Count == 0 ? "none" : string.Join(", ", seen))})");
    }

    private IReadOnlyList<Prediction> ScoreAudio(LoadedModel model, Stream audio, string? fileName, CancellationToken cancellationToken)
    {
        if (options.AudioFrontEnd is not { } frontEnd)
        {
            throw new RequestProblem(StatusCodes.Status501NotImplemented, "No audio front end",
                $"this server cannot classify sound files: {AudioFrontEnds.HowToEnable}");
        }

        IReadOnlyList<EmbeddedWindow> windows;
        try
        {
            windows = frontEnd.Embed(audio, fileName, cancellationToken);
        }
        catch (UnsupportedAudioException e)
        {
            throw new RequestProblem(StatusCodes.Status415UnsupportedMediaType, "Unsupported audio", $"{fileName ?? AudioField}: {e.Message}");
        }

        var usable = windows.Where(w => w.FrameCount is > 0 and <= SoundClassifier.MaxFrames).ToList();
        if (usable.Count == 0)
        {
            throw RequestProblem.BadRequest($"{fileName ?? AudioField}: too short to classify: no window of at least one second of sound");
        }

        return Score(model, usable.Select(w => (ReadOnlyMemory<byte>)w.Frames.AsMemory(0, w.FrameCount * SoundClassifier.FrameSize)).ToList(),
            (i, p) => p with { StartSeconds = usable[i].StartSeconds, EndSeconds = usable[i].EndSeconds });
    }
}
