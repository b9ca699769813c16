using System.Text.Json;
using Custom.Tests.Cli;
using Custom.Evaluation.Reports;
using Custom.Tests.Support;
using Microsoft.Playwright;

namespace Custom.Tests.Evaluation.Reports;

/// Opens the reports in Debian's headless Chromium with the network blocked: every chart must render (SVG inside
/// its container), the console must stay clean, and the numbers on the page must be those of the JSON files.
/// Needs the real AudioSet data (AudioSetLocator).
[Trait("Category", "Dataset")]
public sealed class ReportPagesTests : IAsyncLifetime
{
    private readonly TempFolder _temp = new();
    private HeadlessChromium? _chromium;

    public async Task InitializeAsync() => _chromium = await HeadlessChromium.LaunchAsync();

    public async Task DisposeAsync()
    {
        if (_chromium is not null)
        {
            await _chromium.DisposeAsync();
        }

        _temp.Dispose();
    }

    /// Loads a page offline and checks every chart drew; returns the page for reading values.
    private async Task<IPage> Open(string path, string screenshot)
    {
        var (page, errors, blocked) = await OfflinePage.OpenAsync(_chromium!.Browser, new Uri(path).AbsoluteUri, "file://", height: 900);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        int charts = await page.Locator("div.chart").CountAsync();
        Assert.True(charts >= 4, $"{path}: {charts} charts");
        int drawn = await OfflinePage.DrawnCharts(page);
        Assert.Equal(charts, drawn);
        Assert.Empty(errors);
        Assert.Empty(blocked);

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Repository.Screenshot(screenshot), FullPage = true });
        return page;
    }

    private static Task<T> ChartData<T>(IPage page, string chart, string expression) =>
        page.EvaluateAsync<T>($"() => document.querySelector('div.chart[data-chart=\"{chart}\"] .js-plotly-plot').{expression}");

    [Fact]
    public async Task Distribution_report_renders_offline_with_the_numbers_of_its_json()
    {
        string outDir = _temp.Folder("report");
        Assert.Equal(0, CliRunner.Run("report", "--data", AudioSetData.Root, "--out", outDir).Exit);
        var page = await Open(Path.Combine(outDir, "class-distribution.html"), "class-distribution.png");

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "class-distribution.json")));
        var perClass = json.RootElement.GetProperty("splits").GetProperty("bal_train").GetProperty("per_class");
        var onPage = await ChartData<long[]>(page, "per-class", "data[0].y");
        Assert.Equal(perClass.EnumerateObject().Select(p => p.Value.GetInt64()), onPage);
        Assert.Equal(perClass.EnumerateObject().Select(p => p.Name), await ChartData<string[]>(page, "per-class", "data[0].x"));
        Assert.Equal("log", await ChartData<string>(page, "per-class-log", "layout.yaxis.type"));

        // Log axes label the powers of ten only (no bare 2 and 5 minor labels), and every axis has a title.
        foreach (string chart in new[] { "per-class-log", "frames" })
        {
            var ticks = await page.EvaluateAsync<string[]>($"() => [...document.querySelectorAll('div.chart[data-chart=\"{chart}\"] .ytick text')].map(t => t.textContent)");
            Assert.NotEmpty(ticks);
            Assert.All(ticks, t => Assert.Matches("^1(0|,000)*$", t));
        }

        await AssertAxisTitles(page, "per-class", "per-class-log", "breakdown", "frames");
    }

    private static async Task AssertAxisTitles(IPage page, params string[] charts)
    {
        foreach (string chart in charts)
        {
            Assert.False(string.IsNullOrWhiteSpace(await ChartData<string>(page, chart, "layout.xaxis.title.text")), $"{chart}: no x axis title");
            Assert.False(string.IsNullOrWhiteSpace(await ChartData<string>(page, chart, "layout.yaxis.title.text")), $"{chart}: no y axis title");
        }
    }

    [Fact]
    public async Task Training_report_renders_offline_with_the_numbers_of_metrics_and_leaderboard()
    {
        string outDir = Path.Combine(_temp.Path, "model");
        var run = CliRunner.Run("train", "--data", AudioSetData.Root, "--out", outDir, "--trainers", "sdca-maxent", "lbfgs-maxent", "--features", "mean", "--folds", "3", "--no-weighted");
        Assert.True(run.Exit == 0, run.Err);
        var page = await Open(Path.Combine(outDir, "report.html"), "training-report.png");

        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "metrics.json")));
        var f1 = metrics.RootElement.GetProperty("per_class").EnumerateArray().Select(c => c.GetProperty("f1").GetDouble()).ToArray();
        Assert.Equal(f1, await ChartData<double[]>(page, "per-class", "data[2].y"));

        using var leaderboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "leaderboard.json")));
        var entries = leaderboard.RootElement.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(entries.Select(e => e.GetProperty("name").GetString()), await ChartData<string[]>(page, "leaderboard", "data[0].x"));
        Assert.Equal(entries.Select(e => e.GetProperty("cv_macro_f1_mean").GetDouble()), await ChartData<double[]>(page, "leaderboard", "data[0].y"));

        // Confusion-matrix labels contrast at least 4.5:1 with their cells, as drawn.
        var z = await ChartData<double[][]>(page, "confusion", "data[0].z");
        var colors = await ChartData<string[]>(page, "confusion", "layout.annotations.map(a => a.font.color)");
        Assert.Equal(z.Sum(row => row.Length), colors.Length);
        var cells = z.SelectMany(row => row).ToArray();
        for (int i = 0; i < cells.Length; i++)
        {
            double contrast = Viridis.Contrast(Viridis.Luminance(Viridis.ColorAt(cells[i])), Viridis.Luminance(Viridis.Rgb(colors[i])));
            Assert.True(contrast >= 4.5, $"confusion cell {i} ({cells[i]:F2}): contrast {contrast:F2}");
        }

        await AssertAxisTitles(page, "leaderboard", "per-class", "confusion", "distribution");
        Assert.True(await page.Locator("table").CountAsync() >= 3, "leaderboard and metrics tables");

        string text = await page.InnerTextAsync("body");
        Assert.Contains("Accuracy alone would mislead", text);
        Assert.Contains(entries[0].GetProperty("name").GetString()!, File.ReadAllText(Path.Combine(outDir, "report.md")));
    }}
