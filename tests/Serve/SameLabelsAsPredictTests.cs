using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Custom.Data.AudioSet;
using Custom.Serve;
using Custom.Tests.Cli;
using Custom.Tests.Support;

namespace Custom.Tests.Serve;

/// Every clip of AudioSet's eval split sent through POST /predict, as TFRecord bodies and as JSON, gets the label
/// (and, to float rounding, the score) that `custom predict` prints for it.
[Trait("Category", "Dataset")]
public sealed class SameLabelsAsPredictTests : IClassFixture<PackageFixture>
{
    private readonly PackageFixture _package;

    public SameLabelsAsPredictTests(PackageFixture package) => _package = package;

    [Fact]
    public async Task Every_eval_clip_gets_the_label_custom_predict_gives_it_through_tfrecord_and_json()
    {
        var files = AudioSetData.Folder.FilesOf("eval");
        var cli = CliRunner.Run("predict", "--model", _package.Directory, "--input", Path.Combine(AudioSetData.Root, "eval"));
        Assert.True(cli.Exit == 0, cli.Err);
        var expected = cli.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();
        Assert.Equal(20_371, expected.Count);

        await using var service = await TestService.InMemory([new ModelSource("model", _package.Directory)]);

        // TFRecord: the eval files concatenated (a valid TFRecord stream) into bodies of up to 6 MB.
        var viaTfRecord = new List<JsonElement>();
        foreach (var body in Bodies(files.Select(File.ReadAllBytes), 6 * 1024 * 1024))
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            viaTfRecord.AddRange(await Predictions(await service.Client.PostAsync("/predict", content)));
        }

        // JSON: the same clips, 1,000 per request.
        var clips = Custom.Data.Ingest.AudioSetIngest.ReadClips(files).ToList();
        var viaJson = new List<JsonElement>();
        foreach (var chunk in clips.Chunk(1000))
        {
            var content = new StringContent(PredictApiTests.Json(chunk), Encoding.UTF8, "application/json");
            viaJson.AddRange(await Predictions(await service.Client.PostAsync("/predict", content)));
        }

        Assert.Equal(expected.Count, viaTfRecord.Count);
        Assert.Equal(expected.Count, viaJson.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            string label = expected[i].GetProperty("label").GetString()!;
            float score = expected[i].GetProperty("score").GetSingle();
            Assert.Equal(expected[i].GetProperty("video_id").GetString(), viaTfRecord[i].GetProperty("video_id").GetString());
            Assert.Equal(expected[i].GetProperty("start_time_seconds").GetSingle(), viaTfRecord[i].GetProperty("start_time_seconds").GetSingle());
            Assert.Equal(clips[i].VideoId, viaJson[i].GetProperty("id").GetString());
            foreach (var served in new[] { viaTfRecord[i], viaJson[i] })
            {
                Assert.Equal(label, served.GetProperty("label").GetString());
                Assert.Equal(score, served.GetProperty("score").GetSingle(), 1e-5f);
            }
        }
    }

    private static async Task<IEnumerable<JsonElement>> Predictions(HttpResponseMessage response)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("predictions").EnumerateArray().Select(p => p.Clone()).ToList();
    }

    private static IEnumerable<byte[]> Bodies(IEnumerable<byte[]> files, int limit)
    {
        var body = new MemoryStream();
        foreach (var file in files)
        {
            if (body.Length + file.Length > limit && body.Length > 0)
            {
                yield return body.ToArray();
                body = new MemoryStream();
            }

            body.Write(file);
        }

        if (body.Length > 0)
        {
            yield return body.ToArray();
        }
    }
}
