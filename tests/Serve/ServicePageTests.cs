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
public sealed class ServicePageTests : IClassFixture<SmallPackageFixture>, IAsyncLifetime
{
    private const string Chromium = "/usr/bin/chromium";
    private readonly SmallPackageFixture _packages;
    private readonly TempFolder _temp = new();
    private IPlaywright? _playwright;

    public ServicePageTests(SmallPackageFixture packages) => _packages = packages;

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: install Debian's chromium package (.ci/run does)");
        _playwright = await Playwright.CreateAsync();
    }

    public Task DisposeAsync()
    {
        _playwright?.Dispose();
        _temp.Dispose();
        return Task.CompletedTask;
    }

    private ModelSource[] Models => [new("first", _packages.First), new("second", _packages.Second)];

    /// Chromium whose microphone plays <paramref name="microphoneWav"/> in a loop (when given).
    private Task<IBrowser> Launch(string? microphoneWav = null)
    {
        var args = new List<string> { "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run" };
        if (microphoneWav is not null)
        {
            args.AddRange(["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", $"--use-file-for-fake-audio-capture={microphoneWav}"]);
        }

        return _playwright!.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium, Headless = true, Args = args });
    }

    /// Opens the page; requests anywhere but the service are refused and recorded, console errors collected.
    private static Task<(IPage Page, List<string> Errors, List<string> Blocked)> Open(IBrowser browser, TestService service, string path = "/")
    {
        string origin = service.App.Urls.First();
        return OfflinePage.OpenAsync(browser, origin.TrimEnd('/') + path, origin, height: 1000);
    }

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
        await using var browser = await Launch(microphone);
        var (page, errors, blocked) = await Open(browser, service);

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
        string docs = Path.Combine(RepositoryRoot(), "docs");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(docs, "service-page.png"), FullPage = true });
    }

    [Fact]
    public async Task Without_an_audio_front_end_the_page_says_so_and_uploads_use_the_chosen_model()
    {
        await using var service = await TestService.OnLoopback(Models);
        await using var browser = await Launch();
        var (page, errors, blocked) = await Open(browser, service);
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
        await using var browser = await Launch();
        var (page, errors, blocked) = await Open(browser, service, "/docs/v1");
        await page.GetByText("Classify clips").First.WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        Assert.Empty(blocked);
        Assert.Empty(errors);

        var (home, _, _) = await Open(browser, service);
        await home.WaitForSelectorAsync("#server-status:has-text('1 model loaded')");
        Assert.True(await home.IsHiddenAsync("#model-choice"));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Custom.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("the repository root (Custom.sln) was not found above " + AppContext.BaseDirectory);
    }
}
