using System.Text.Json;
using Custom.Data.AudioSet;
using Custom.Data.TfRecords;
using Custom.Inference;
using Custom.Serve;
using Custom.Tests.Support;
using Microsoft.Playwright;

namespace Custom.Tests.Serve;

/// The page at '/' in Debian's headless Chromium against the service on a loopback port, with every other address
/// blocked: uploads and recordings through the fake microphone show the server's predictions, the console stays clean.
public sealed class ServicePageTests : IClassFixture<SmallPackageFixture>, IDisposable
{
    /// Set to 1 to also copy the recording test's screenshot to docs/service-page.png (the picture in docs/service.md);
    /// otherwise it goes to artifacts/screenshots only.
    private const string RefreshDocs = "CUSTOM_REFRESH_DOCS_SCREENSHOT";
    private readonly SmallPackageFixture _packages;
    private readonly TempFolder _temp = new();

    public ServicePageTests(SmallPackageFixture packages) => _packages = packages;

    public void Dispose() => _temp.Dispose();

    private ModelSource[] Models => [new("first", _packages.First), new("second", _packages.Second)];

    /// Chromium whose microphone plays <paramref name="wav"/> in a loop.
    private static Task<HeadlessChromium> WithMicrophone(string wav) =>
        HeadlessChromium.LaunchAsync("--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", $"--use-file-for-fake-audio-capture={wav}");

    private string TfRecordFile(int count)
    {
        var random = new Random(11);
        string path = _temp.File("clips.tfrecord");
        using var writer = TfRecordWriter.Create(path);
        for (int i = 0; i < count; i++)
        {
            SmallPackageFixture.Clip($"page{i}", i % 10, 10, random).WriteTo(writer);
        }

        return path;
    }

    /// Uploads a TFRecord and returns the labels the page shows, one per clip card.
    private static async Task<IReadOnlyList<string>> Upload(IPage page, string file)
    {
        await page.SetInputFilesAsync("#file", file);
        await page.ClickAsync("#classify");
        await page.WaitForSelectorAsync("#results .clip");
        return await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('#results .clip')].map(c => c.dataset.label)");
    }

    private static IReadOnlyList<string> Expected(string package, string tfrecord)
    {
        using var classifier = SoundClassifier.Load(package);
        var clips = TfRecordReader.ReadAll(tfrecord).Select(r => AudioSetClip.Parse(r).Frames).ToList();
        return classifier.PredictBatch(clips).Select(p => p.ClassName).ToList();
    }

    [Fact]
    public async Task Recording_through_the_fake_microphone_sends_16_khz_mono_wav_every_10_seconds_and_shows_predictions()
    {
        string microphone = _temp.File("microphone.wav");
        File.WriteAllBytes(microphone, PredictApiTests.Wav(sampleRate: 48000, seconds: 3));
        var frontEnd = new StandInAudioFrontEnd();
        await using var service = await TestService.OnLoopback(Models, frontEnd);
        await using var chromium = await WithMicrophone(microphone);
        var (page, errors, blocked) = await service.OpenPage(chromium.Browser);

        // An upload first, so the screenshot shows both halves of the page.
        string tfrecord = TfRecordFile(4);
        Assert.Equal(Expected(_packages.First, tfrecord), await Upload(page, tfrecord));

        await page.WaitForSelectorAsync("#record:not([disabled])");
        Assert.True(await page.IsHiddenAsync("#record-unavailable"));
        await page.ClickAsync("#record");
        await page.WaitForSelectorAsync("#live li[data-label]", new PageWaitForSelectorOptions { Timeout = 30_000 });
        await page.ClickAsync("#stop");
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#live li[data-label]').length === 2 && !document.querySelector('#record').disabled",
            null, new PageWaitForFunctionOptions { Timeout = 30_000 });

        // What reached the server: 16 kHz mono 16-bit PCM, ten seconds in the chunk sent while recording, the rest on Stop.
        var received = frontEnd.Received.ToList();
        Assert.Equal(2, received.Count);
        Assert.All(received, wav => Assert.Equal((1, 1, 16000, 16), (wav.Format, wav.Channels, wav.SampleRate, wav.BitsPerSample)));
        Assert.Equal(10 * 16000, received[0].Samples);
        Assert.InRange(received[1].Samples, 1, 10 * 16000 - 1);

        // The page shows, newest first, what the server answered for each chunk.
        using var classifier = SoundClassifier.Load(_packages.First);
        var expected = received.Select(wav => classifier.Predict(new byte[(int)Math.Ceiling(wav.Samples / 16000.0) * 128]).ClassName).Reverse();
        Assert.Equal(expected, await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('#live li')].map(li => li.dataset.label)"));
        string live = await page.InnerTextAsync("#live");
        Assert.Contains("+0–10.0 s", live);
        Assert.Contains("+10–", live);

        Assert.Empty(errors);
        Assert.Empty(blocked);
        string screenshot = Repository.Screenshot("service-page.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        if (Environment.GetEnvironmentVariable(RefreshDocs) == "1")
        {
            File.Copy(screenshot, Path.Combine(Repository.Root, "docs", "service-page.png"), overwrite: true);
        }
    }

    [Fact]
    public async Task Without_an_audio_front_end_the_page_says_so_and_uploads_use_the_chosen_model()
    {
        await using var service = await TestService.OnLoopback(Models);
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var (page, errors, blocked) = await service.OpenPage(chromium.Browser);
        await page.WaitForSelectorAsync("#record-unavailable:not([hidden])");
        Assert.Contains("no audio front end", await page.InnerTextAsync("#record-unavailable"));
        Assert.Contains("--vggish", await page.InnerTextAsync("#record-unavailable"));
        Assert.True(await page.IsDisabledAsync("#record"));

        Assert.True(await page.IsVisibleAsync("#model-choice"));
        await page.SelectOptionAsync("#model", "second");
        string tfrecord = TfRecordFile(6);
        Assert.Equal(Expected(_packages.Second, tfrecord), await Upload(page, tfrecord));
        Assert.Contains("model second", await page.InnerTextAsync("#upload-status"));

        // A sound file is refused by the page itself, with the reason.
        string wav = _temp.File("street.wav");
        File.WriteAllBytes(wav, PredictApiTests.Wav(16000, 1));
        await page.SetInputFilesAsync("#file", wav);
        await page.ClickAsync("#classify");
        Assert.Contains("no audio front end", await page.InnerTextAsync("#upload-status"));
        Assert.Empty(errors);
        Assert.Empty(blocked);
    }

    [Fact]
    public async Task The_api_reference_renders_offline()
    {
        await using var service = await TestService.OnLoopback([new ModelSource("only", _packages.First)]);
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var (page, errors, blocked) = await service.OpenPage(chromium.Browser, "/docs/v1");
        await page.GetByText("Classify clips").First.WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        Assert.Empty(blocked);
        Assert.Empty(errors);

        var (home, _, _) = await service.OpenPage(chromium.Browser);
        await home.WaitForSelectorAsync("#server-status:has-text('1 model loaded')");
        Assert.True(await home.IsHiddenAsync("#model-choice"));
    }
}
