using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Custom.Data.AudioSet;
using Custom.Data.TfRecords;
using Custom.Inference;
using Custom.Serve;
using Custom.Tests.Cli;
using Custom.Tests.Support;

namespace Custom.Tests.Serve;

/// The HTTP API in memory (TestServer): answers equal Custom.Inference's, every bad request is a 4xx problem+json
/// with a useful detail, and concurrent requests each get their own answers.
public sealed class PredictApiTests : IClassFixture<SmallPackageFixture>, IDisposable
{
    private readonly SmallPackageFixture _packages;
    private readonly TempFolder _temp = new();

    public PredictApiTests(SmallPackageFixture packages) => _packages = packages;

    public void Dispose() => _temp.Dispose();

    private ModelSource[] Models => [new("first", _packages.First), new("second", _packages.Second)];

    private static List<AudioSetClip> Clips(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(i => SmallPackageFixture.Clip($"clip{seed}-{i}", random.Next(10), 1 + random.Next(10), random)).ToList();
    }

    internal static string Json(IEnumerable<AudioSetClip> clips, bool ids = true) =>
        JsonSerializer.Serialize(new
        {
            clips = clips.Select(c => new Dictionary<string, object?>
            {
                ["id"] = ids ? c.VideoId : null,
                ["frames"] = Enumerable.Range(0, c.FrameCount).Select(f => c.GetFrame(f).ToArray().Select(b => (int)b).ToArray()).ToArray(),
            }),
        });

    private static StringContent JsonContent(string json) => new(json, Encoding.UTF8, "application/json");

    private static byte[] TfRecord(IEnumerable<AudioSetClip> clips)
    {
        using var stream = new MemoryStream();
        using (var writer = new TfRecordWriter(stream, leaveOpen: true))
        {
            foreach (var clip in clips)
            {
                clip.WriteTo(writer);
            }
        }

        return stream.ToArray();
    }

    private static async Task<JsonElement> Ok(HttpResponseMessage response)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// Asserts a problem+json answer with the status and a detail containing <paramref name="detail"/>; returns the detail.
    internal static async Task<string> Problem(HttpResponseMessage response, HttpStatusCode status, string detail)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("   at ", body);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        string actual = problem.GetProperty("detail").GetString()!;
        Assert.Contains(detail, actual);
        return actual;
    }

    /// The predictions must be the classifier's own, in order, with every class named.
    private void AssertPredictions(JsonElement answer, string model, IReadOnlyList<AudioSetClip> clips, string package)
    {
        using var classifier = SoundClassifier.Load(package);
        var expected = classifier.PredictBatch(clips.Select(c => c.Frames).ToList());
        Assert.Equal(model, answer.GetProperty("model").GetString());
        var predictions = answer.GetProperty("predictions").EnumerateArray().ToList();
        Assert.Equal(clips.Count, predictions.Count);
        for (int i = 0; i < clips.Count; i++)
        {
            Assert.Equal(expected[i].ClassName, predictions[i].GetProperty("label").GetString());
            Assert.Equal(expected[i].Score, predictions[i].GetProperty("score").GetSingle());
            var probabilities = predictions[i].GetProperty("probabilities").EnumerateObject().ToList();
            Assert.Equal(classifier.Classes, probabilities.Select(p => p.Name));
            Assert.Equal(expected[i].Probabilities, probabilities.Select(p => p.Value.GetSingle()));
        }
    }

    [Fact]
    public async Task Json_clips_get_the_classifier_s_predictions_in_request_order_with_their_ids()
    {
        await using var service = await TestService.InMemory(Models);
        var clips = Clips(25, seed: 3);
        var answer = await Ok(await service.Client.PostAsync("/predict", JsonContent(Json(clips))));
        AssertPredictions(answer, "first", clips, _packages.First);
        Assert.Equal(clips.Select(c => c.VideoId), answer.GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("id").GetString()));

        // The original API's address with its trailing slash, a clip without id, and the second model by name.
        var second = await Ok(await service.Client.PostAsync("/predict/?model=second", JsonContent(Json(clips, ids: false))));
        AssertPredictions(second, "second", clips, _packages.Second);
        Assert.False(second.GetProperty("predictions")[0].TryGetProperty("id", out _));
        Assert.NotEqual(answer.GetProperty("predictions")[0].GetProperty("score").GetSingle(), second.GetProperty("predictions")[0].GetProperty("score").GetSingle());
    }

    [Fact]
    public async Task A_tfrecord_body_or_upload_gets_one_prediction_per_clip_with_video_id_and_start_time()
    {
        await using var service = await TestService.InMemory(Models);
        var clips = Clips(40, seed: 4);
        var bytes = TfRecord(clips);
        var octets = new ByteArrayContent(bytes);
        octets.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var answer = await Ok(await service.Client.PostAsync("/predict", octets));
        AssertPredictions(answer, "first", clips, _packages.First);
        var predictions = answer.GetProperty("predictions").EnumerateArray().ToList();
        Assert.Equal(clips.Select(c => c.VideoId), predictions.Select(p => p.GetProperty("video_id").GetString()));
        Assert.Equal(clips.Select(c => c.StartTimeSeconds), predictions.Select(p => p.GetProperty("start_time_seconds").GetSingle()));

        using var form = new MultipartFormDataContent { { new ByteArrayContent(bytes), "tfrecord", "clips.tfrecord" } };
        var uploaded = await Ok(await service.Client.PostAsync("/predict?model=second", form));
        AssertPredictions(uploaded, "second", clips, _packages.Second);
    }

    [Fact]
    public async Task A_damaged_tfrecord_is_refused_with_the_cli_s_message()
    {
        await using var service = await TestService.InMemory(Models);
        var bytes = TfRecord(Clips(3, seed: 5));
        bytes[^30] ^= 0x40; // inside the last record's data: its data CRC no longer matches
        string file = _temp.File("damaged.tfrecord");
        File.WriteAllBytes(file, bytes);
        string cli = CliRunner.AssertOneLineError(CliRunner.Run("predict", "--model", _packages.First, "--input", file));
        string cliProblem = cli["custom: error: ".Length..].Replace(file, "", StringComparison.Ordinal);
        Assert.Contains("data CRC mismatch", cliProblem);

        var octets = new ByteArrayContent(bytes);
        octets.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        string detail = await Problem(await service.Client.PostAsync("/predict", octets), HttpStatusCode.BadRequest, "data CRC mismatch");
        Assert.Equal("request body" + cliProblem, detail);

        using var form = new MultipartFormDataContent { { new ByteArrayContent(bytes), "tfrecord", "damaged.tfrecord" } };
        Assert.Equal("damaged.tfrecord" + cliProblem, await Problem(await service.Client.PostAsync("/predict", form), HttpStatusCode.BadRequest, "record 2"));
    }

    public static TheoryData<string, string?, string, int, string> BadRequests()
    {
        string frame = "[" + string.Join(",", Enumerable.Repeat(7, 128)) + "]";
        string clip(string frames) => "{\"clips\":[{\"id\":\"a\",\"frames\":[" + frames + "]}]}";
        return new()
        {
            { "empty body", "application/json", "", 400, "the body is empty" },
            { "malformed JSON", "application/json", "{\"clips\":[{\"frames\":[[1,2,", 400, "malformed JSON at $.clips[0].frames[0]" },
            { "not an object", "application/json", "[1,2,3]", 400, "unexpected value at $" },
            { "no clips", "application/json", "{\"clips\":[]}", 400, "no clips" },
            { "no frames", "application/json", "{\"clips\":[{\"id\":\"a\"}]}", 400, "clips[0]: 'frames' is missing" },
            { "zero frames", "application/json", clip(""), 400, "clips[0]: 0 frames; a clip has 1 to 10 frames" },
            { "eleven frames", "application/json", clip(string.Join(",", Enumerable.Repeat(frame, 11))), 400, "clips[0]: 11 frames" },
            { "short frame", "application/json", clip(frame + ",[1,2,3]"), 400, "clips[0].frames[1]: 3 values; a frame has 128" },
            { "value above 255", "application/json", clip(frame.Replace("[7,", "[256,", StringComparison.Ordinal)), 400, "clips[0].frames[0][0]: 256 is outside 0–255" },
            { "negative value", "application/json", clip(frame[..^2] + "-1]"), 400, "clips[0].frames[0][127]: -1 is outside 0–255" },
            { "fractional value", "application/json", clip(frame.Replace("[7,", "[7.5,", StringComparison.Ordinal)), 400, "unexpected value at $.clips[0].frames[0][0]" },
            { "string value", "application/json", clip(frame.Replace("[7,", "[\"7\",", StringComparison.Ordinal)), 400, "frames are arrays of integers" },
            { "wrong content type", "text/plain", clip(frame), 415, "Content-Type 'text/plain' is not accepted" },
            { "no content type", null, clip(frame), 415, "is not accepted; send application/json" },
            { "empty tfrecord", "application/octet-stream", "", 400, "the TFRecord is empty" },
            { "not a tfrecord", "application/octet-stream", "hello, this is not a TFRecord file at all", 400, "request body: record 0 at byte offset 0: length CRC mismatch" },
            { "multipart without boundary", "multipart/form-data", "x", 400, "without a boundary" },
            { "multipart without a known field", "multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nx\r\n--b--\r\n", 400, "no 'tfrecord' or 'audio' field (fields sent: file)" },
            { "audio without a front end", "multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"audio\"; filename=\"a.wav\"\r\n\r\nRIFF\r\n--b--\r\n", 501, "--vggish" },
        };
    }

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Every_bad_request_is_a_problem_with_a_useful_detail_and_the_server_stays_healthy(string name, string? contentType, string body, int status, string detail)
    {
        await using var service = await TestService.InMemory(Models);
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        await Problem(await service.Client.PostAsync("/predict", content), (HttpStatusCode)status, detail);
        Assert.True(name.Length > 0);
        Assert.Equal(HttpStatusCode.OK, (await service.Client.GetAsync("/healthz")).StatusCode);
        var clips = Clips(2, seed: 6);
        AssertPredictions(await Ok(await service.Client.PostAsync("/predict", JsonContent(Json(clips)))), "first", clips, _packages.First);
    }

    [Fact]
    public async Task Unknown_models_routes_and_bodies_over_the_limit_are_problems()
    {
        await using var service = await TestService.InMemory(Models, maxBodyBytes: 64 * 1024);
        var clips = Clips(10, seed: 7);
        await Problem(await service.Client.PostAsync("/predict?model=nope", JsonContent(Json(clips))), HttpStatusCode.BadRequest,
            "unknown model 'nope'; this server has first, second (GET /models)");
        await Problem(await service.Client.GetAsync("/no-such-page"), HttpStatusCode.NotFound, "no GET /no-such-page here; the API is described at /openapi/v1.json and /docs");
        await Problem(await service.Client.GetAsync("/predict"), HttpStatusCode.MethodNotAllowed, "GET /predict is not allowed");

        // Many clips fit under the limit; more than the limit does not, with or without a declared length.
        var many = Clips(20, seed: 8).Select(c => new AudioSetClip(c.VideoId, 0, 10, [0], new byte[1280])).ToList();
        Assert.InRange(Json(many).Length, 40_000, 64 * 1024);
        AssertPredictions(await Ok(await service.Client.PostAsync("/predict", JsonContent(Json(many)))), "first", many, _packages.First);
        var tooMany = Enumerable.Repeat(many, 3).SelectMany(c => c).ToList();
        await Problem(await service.Client.PostAsync("/predict", JsonContent(Json(tooMany))), HttpStatusCode.RequestEntityTooLarge,
            "this server accepts at most 65,536 bytes per request");
        var streamed = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(Json(tooMany))));
        streamed.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/predict") { Content = streamed };
        request.Headers.TransferEncodingChunked = true;
        await Problem(await service.Client.SendAsync(request), HttpStatusCode.RequestEntityTooLarge, "more than 65,536");
        Assert.Equal(HttpStatusCode.OK, (await service.Client.GetAsync("/readyz")).StatusCode);
    }

    [Fact]
    public async Task Concurrent_different_requests_each_get_their_own_answers()
    {
        await using var service = await TestService.InMemory(Models);
        var requests = Enumerable.Range(0, 48).Select(r => (Model: r % 2 == 0 ? "first" : "second", Clips: Clips(1 + r % 5, seed: 100 + r))).ToList();
        var answers = await Task.WhenAll(requests.Select(async r =>
            await Ok(await service.Client.PostAsync($"/predict?model={r.Model}", JsonContent(Json(r.Clips))))));
        for (int r = 0; r < requests.Count; r++)
        {
            AssertPredictions(answers[r], requests[r].Model, requests[r].Clips, requests[r].Model == "first" ? _packages.First : _packages.Second);
            Assert.Equal(requests[r].Clips.Select(c => c.VideoId), answers[r].GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("id").GetString()));
        }
    }

    [Fact]
    public async Task Audio_uploads_go_through_the_front_end_one_prediction_per_window()
    {
        var frontEnd = new StandInAudioFrontEnd();
        await using var service = await TestService.InMemory(Models, frontEnd);
        var wav = Wav(sampleRate: 16000, seconds: 25);
        using var form = new MultipartFormDataContent { { new ByteArrayContent(wav), "audio", "street.wav" } };
        var answer = await Ok(await service.Client.PostAsync("/predict/", form));
        var windows = answer.GetProperty("predictions").EnumerateArray().ToList();
        Assert.Equal([0.0, 10.0, 20.0], windows.Select(w => w.GetProperty("start_seconds").GetDouble()));
        Assert.Equal([10.0, 20.0, 25.0], windows.Select(w => w.GetProperty("end_seconds").GetDouble()));
        var format = Assert.Single(frontEnd.Received);
        Assert.Equal(new WavFormat(1, 1, 16000, 16, 25 * 16000), format);

        using var classifier = SoundClassifier.Load(_packages.First);
        var expected = frontEnd.Embed(new MemoryStream(wav), null, default).Select(w => classifier.Predict(w.Frames.AsSpan(0, w.FrameCount * 128))).ToList();
        Assert.Equal(expected.Select(e => e.ClassName), windows.Select(w => w.GetProperty("label").GetString()));

        using var text = new MultipartFormDataContent { { new ByteArrayContent("not sound"u8.ToArray()), "audio", "notes.txt" } };
        await Problem(await service.Client.PostAsync("/predict", text), HttpStatusCode.UnsupportedMediaType, "notes.txt: not a PCM WAV file");
        var models = await Ok(await service.Client.GetAsync("/models"));
        Assert.True(models.GetProperty("audio_front_end").GetBoolean());
    }

    [Fact]
    public async Task Models_health_readiness_openapi_and_the_reference_page_answer()
    {
        await using var service = await TestService.InMemory(Models);
        var models = await Ok(await service.Client.GetAsync("/models"));
        Assert.False(models.GetProperty("audio_front_end").GetBoolean());
        var list = models.GetProperty("models").EnumerateArray().ToList();
        Assert.Equal(["first", "second"], list.Select(m => m.GetProperty("name").GetString()));
        Assert.Equal([true, false], list.Select(m => m.GetProperty("default").GetBoolean()));
        Assert.Equal("lbfgs-maxent", list[0].GetProperty("trainer").GetString());
        Assert.Equal(Custom.Data.Selection.ClassSet.Default.Names, list[0].GetProperty("classes").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("lbfgs-maxent/mean", list[0].GetProperty("candidate").GetString());
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(_packages.First, "manifest.json")));
        int manifestMetrics = manifest.RootElement.TryGetProperty("metrics", out var metrics) && metrics.ValueKind == JsonValueKind.Object ? metrics.EnumerateObject().Count() : 0;
        Assert.Equal(manifestMetrics, list[0].GetProperty("metrics").EnumerateObject().Count());

        Assert.Equal("healthy", (await Ok(await service.Client.GetAsync("/healthz"))).GetProperty("status").GetString());
        Assert.Equal("ready", (await Ok(await service.Client.GetAsync("/readyz"))).GetProperty("status").GetString());

        var openApi = await Ok(await service.Client.GetAsync("/openapi/v1.json"));
        var paths = openApi.GetProperty("paths");
        foreach (string path in new[] { "/predict", "/models", "/healthz", "/readyz" })
        {
            Assert.True(paths.TryGetProperty(path, out _), path);
        }

        var body = paths.GetProperty("/predict").GetProperty("post").GetProperty("requestBody").GetProperty("content");
        Assert.Equal(["application/json", "application/octet-stream", "multipart/form-data"], body.EnumerateObject().Select(p => p.Name));
        string schemas = openApi.GetProperty("components").GetProperty("schemas").GetRawText();
        Assert.Contains("\"start_time_seconds\"", schemas);

        string reference = await service.Client.GetStringAsync("/docs/v1");
        Assert.Contains("scalar.js", reference);
        Assert.DoesNotContain("https://", reference);
        var script = await service.Client.GetAsync("/docs/scalar.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.True((await script.Content.ReadAsByteArrayAsync()).Length > 100_000);

        string page = await service.Client.GetStringAsync("/");
        Assert.Contains("/page/page.js", page);
        Assert.Contains("Resampler", await service.Client.GetStringAsync("/page/wav.js"));
    }

    /// A WAV file of a tone: PCM 16-bit mono at <paramref name="sampleRate"/>.
    internal static byte[] Wav(int sampleRate, double seconds, double frequency = 440)
    {
        int samples = (int)(sampleRate * seconds);
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream);
        writer.Write("RIFF"u8);
        writer.Write(36 + samples * 2);
        writer.Write("WAVEfmt "u8);
        writer.Write(16);
        writer.Write((short)1);
        writer.Write((short)1);
        writer.Write(sampleRate);
        writer.Write(sampleRate * 2);
        writer.Write((short)2);
        writer.Write((short)16);
        writer.Write("data"u8);
        writer.Write(samples * 2);
        for (int i = 0; i < samples; i++)
        {
            writer.Write((short)(Math.Sin(2 * Math.PI * frequency * i / sampleRate) * 12000 * (1 + Math.Sin(2 * Math.PI * i / sampleRate))/ 2));
        }

        writer.Flush();
        return stream.ToArray();
    }
}
