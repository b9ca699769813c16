using System.Net;
using System.Text;
using System.Text.Json;
using Custom.Inference;
using Custom.Serve;
using Custom.Tests.Support;

namespace Custom.Tests.Serve;

/// The service with an open-set package: GET /models says so, and POST /predict answers "other" with "other": true
/// for a clip of none of the classes, while a closed model's answers carry no such field.
public sealed class OpenSetServiceTests : IClassFixture<OpenSetPackageFixture>, IClassFixture<SmallPackageFixture>
{
    private readonly OpenSetPackageFixture _open;
    private readonly SmallPackageFixture _closed;

    public OpenSetServiceTests(OpenSetPackageFixture open, SmallPackageFixture closed)
    {
        _open = open;
        _closed = closed;
    }

    private static async Task<JsonElement> Ok(HttpResponseMessage response)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    [Fact]
    public async Task An_open_set_model_answers_other_for_a_none_clip_and_its_class_for_a_known_one()
    {
        await using var service = await TestService.InMemory([new ModelSource("open", _open.Directory), new ModelSource("closed", _closed.First)]);
        var models = (await Ok(await service.Client.GetAsync("/models"))).GetProperty("models").EnumerateArray().ToList();
        Assert.True(models[0].GetProperty("open_set").GetBoolean());
        Assert.Equal(PackageContract.OtherClass, models[0].GetProperty("classes")[10].GetString());
        Assert.False(models[1].GetProperty("open_set").GetBoolean());

        var random = new Random(6);
        var clips = new[] { OpenSetData.None("none", 10, random), OpenSetData.Known("siren", 8, 10, random) };
        var body = new StringContent(PredictApiTests.Json(clips), Encoding.UTF8, "application/json");
        var predictions = (await Ok(await service.Client.PostAsync("/predict?model=open", body))).GetProperty("predictions");
        Assert.Equal((PackageContract.OtherClass, true), (predictions[0].GetProperty("label").GetString(), predictions[0].GetProperty("other").GetBoolean()));
        Assert.Equal(("Siren", false), (predictions[1].GetProperty("label").GetString(), predictions[1].GetProperty("other").GetBoolean()));
        Assert.Equal(11, predictions[0].GetProperty("probabilities").EnumerateObject().Count());

        var closedBody = new StringContent(PredictApiTests.Json(clips), Encoding.UTF8, "application/json");
        var closed = (await Ok(await service.Client.PostAsync("/predict?model=closed", closedBody))).GetProperty("predictions");
        Assert.All(closed.EnumerateArray(), p => Assert.False(p.TryGetProperty("other", out _)));
    }
}
