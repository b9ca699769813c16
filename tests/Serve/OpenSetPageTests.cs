using Custom.Data.TfRecords;
using Custom.Serve;
using Custom.Tests.Support;

namespace Custom.Tests.Serve;

/// The page with an open-set model, in Debian's headless Chromium: the classes line names "other", and a clip of none
/// of the classes shows as such rather than as a class.
public sealed class OpenSetPageTests : IClassFixture<OpenSetPackageFixture>, IDisposable
{
    private readonly OpenSetPackageFixture _package;
    private readonly TempFolder _temp = new();

    public OpenSetPageTests(OpenSetPackageFixture package) => _package = package;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_none_clip_shows_as_none_of_the_classes()
    {
        var random = new Random(12);
        string file = _temp.File("clips.tfrecord");
        using (var writer = TfRecordWriter.Create(file))
        {
            OpenSetData.None("none", 10, random).WriteTo(writer);
            OpenSetData.Known("dog", 2, 10, random).WriteTo(writer);
        }

        await using var service = await TestService.OnLoopback([new ModelSource("open", _package.Directory)]);
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var (page, errors, blocked) = await service.OpenPage(chromium.Browser);

        await page.WaitForFunctionAsync("() => document.querySelector('#server-status').textContent.includes('loaded')");
        Assert.Contains("Jackhammer, or \"other\" for none of them", await page.InnerTextAsync("#server-status"));
        await page.SetInputFilesAsync("#file", file);
        await page.ClickAsync("#classify");
        await page.WaitForSelectorAsync("#results .clip");
        var tops = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('#results .clip .top')].map(t => t.textContent)");
        var others = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('#results .clip')].map(c => c.dataset.other ?? '')");
        Assert.StartsWith("none of the 10 classes (other) ", tops[0]);
        Assert.StartsWith("Dog ", tops[1]);
        Assert.Equal(["true", ""], others);
        Assert.Empty(errors);
        Assert.Empty(blocked);
    }
}
