using System.Net;
using System.Text.Json;
using Custom.Audio;
using Custom.Inference;
using Custom.Serve;
using Custom.Serve.Audio;
using Custom.Tests.Audio;
using Custom.Tests.Support;

namespace Custom.Tests.Serve;

/// The service's `audio` field through the real audio front end (Custom.Audio's AudioEmbedder with a narrow seeded
/// VGGish network, no PCA file): the same windows and labels as embedding the file directly and classifying it.
public sealed class AudioFrontEndTests : IClassFixture<SmallPackageFixture>, IDisposable
{
    private readonly SmallPackageFixture _packages;
    private readonly TempFolder _temp = new();

    public AudioFrontEndTests(SmallPackageFixture packages) => _packages = packages;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task An_uploaded_recording_is_embedded_and_classified_window_by_window()
    {
        string network = AudioFiles.Network(_temp.Path);
        var mix = TestSignals.ToUnit(TestSignals.Get("mix"));
        var voice = TestSignals.ToUnit(TestSignals.Get("voice"));
        byte[] wav = WavBuilder.Mono16([.. mix, .. mix, .. voice]); // 21.5 s: windows of 10, 10 and 1.5 s

        var frontEnd = AudioFrontEnds.Create(network, pcaNpzPath: null);
        try
        {
            var models = new[] { ModelSource.Parse("first=" + _packages.First) };
            await using var service = await TestService.InMemory(models, frontEnd);
            using var form = new MultipartFormDataContent { { new ByteArrayContent(wav), "audio", "street.wav" } };
            using var response = await service.Client.PostAsync("/predict/", form);
            string body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, body);
            var windows = JsonDocument.Parse(body).RootElement.GetProperty("predictions").EnumerateArray().ToList();
            Assert.Equal([0.0, 10.0, 20.0], windows.Select(w => w.GetProperty("start_seconds").GetDouble()));
            Assert.Equal([10.0, 20.0, 21.5], windows.Select(w => w.GetProperty("end_seconds").GetDouble()));

            using var embedder = AudioEmbedder.Load(network, null);
            using var classifier = SoundClassifier.Load(_packages.First);
            var expected = AudioFiles.Embed(embedder, wav).Select(w => classifier.Predict(w.Frames.AsSpan(0, w.FrameCount * 128))).ToList();
            Assert.Equal(expected.Select(e => e.ClassName), windows.Select(w => w.GetProperty("label").GetString()));
            Assert.Equal(expected.Select(e => (double)e.Score), windows.Select(w => w.GetProperty("score").GetDouble()), new ToleranceComparer(1e-6));

            using var broken = new MultipartFormDataContent { { new ByteArrayContent(wav[..40]), "audio", "broken.wav" } };
            using var refused = await service.Client.PostAsync("/predict", broken);
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, refused.StatusCode);
            Assert.Contains("broken.wav", await refused.Content.ReadAsStringAsync());
        }
        finally
        {
            (frontEnd as IDisposable)?.Dispose();
        }
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
