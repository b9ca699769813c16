using System.Text.Json;
using Custom.Tests.Support;

namespace Custom.Tests.Notebooks;

/// The notebooks, executed top to bottom in the real .NET Interactive kernel with the libraries taken from the local
/// NuGet feed, as a user outside the repository would.
public sealed class NotebookTests : IDisposable
{
    private static readonly string[] Expected = ["01-explore-data.ipynb", "02-compare-trainers.ipynb", "03-predict.ipynb", "04-audio-and-service.ipynb"];
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static IReadOnlyList<string> Notebooks() =>
        Directory.GetFiles(Repository.Notebooks, "*.ipynb").Order(StringComparer.Ordinal).ToList();

    /// Executed copies go to artifacts/notebooks (not tracked), where CI keeps them for reading.
    private static string ExecutedFolder => Path.Combine(Repository.Root, "artifacts", "notebooks");

    [Fact]
    public void Committed_notebooks_are_clean_and_use_the_csharp_kernel()
    {
        Assert.Equal(Expected, Notebooks().Select(Path.GetFileName));
        foreach (string path in Notebooks())
        {
            using var json = JsonDocument.Parse(File.ReadAllText(path));
            Assert.Equal(Jupyter.Kernel, json.RootElement.GetProperty("metadata").GetProperty("kernelspec").GetProperty("name").GetString());
            var notebook = ExecutedNotebook.Load(path);
            Assert.All(notebook.Cells, cell => Assert.True(cell.Outputs.Count == 0, $"{notebook.Name}, cell {cell.Number} has saved outputs"));
            Assert.All(notebook.Cells.Where(c => c.Kind == "code"), cell =>
                Assert.DoesNotContain("cli/bin", cell.Source, StringComparison.Ordinal)); // packages, not the build output
        }
    }

    [Trait("Category", "Dataset")]
    [Fact]
    public void A_failing_cell_is_reported_with_the_notebook_cell_and_error()
    {
        // Inside the repository: the kernel runs `dotnet interactive` from its tool manifest.
        string folder = Path.Combine(Repository.Root, "artifacts", "notebook-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            string path = Path.Combine(folder, "fails.ipynb");
            File.WriteAllText(path, JsonSerializer.Serialize(new
            {
                cells = new object[]
                {
                    new { cell_type = "markdown", metadata = new { }, source = new[] { "# title" } },
                    Code("var x = 1;"),
                    Code("throw new InvalidOperationException(\"boom\");"),
                    Code("int y = \"text\";"),
                },
                metadata = new { kernelspec = new { name = Jupyter.Kernel, display_name = ".NET (C#)", language = "C#" } },
                nbformat = 4,
                nbformat_minor = 4,
            }));

            var executed = Jupyter.Execute(path, Path.Combine(folder, "out"));
            var error = Assert.Throws<NotebookException>(executed.ThrowOnErrors);
            Assert.StartsWith("fails.ipynb, cell 3: ", error.Message);
            Assert.Contains("InvalidOperationException: boom", error.Message);
            Assert.Contains(executed.Cells[3].Outputs, o => o.Kind == "error" || o.Text.Contains("CS0029", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        static object Code(string source) => new { cell_type = "code", metadata = new { }, execution_count = (int?)null, outputs = Array.Empty<object>(), source = new[] { source } };
    }

    [Fact]
    [Trait("Category", "Dataset")]
    public async Task Every_notebook_runs_in_the_real_kernel_from_the_packed_libraries_with_charts_and_tables_inline()
    {
        string feed = LocalFeed.Folder;
        var environment = new Dictionary<string, string>
        {
            ["CUSTOM_NOTEBOOK_OUT"] = _temp.Path,
            ["CUSTOM_AUDIOSET"] = AudioSetData.Root,
            // 04 starts `custom serve` from this build and embeds with Google's PCA file beside the repository.
            ["CUSTOM_CLI"] = Path.Combine(AppContext.BaseDirectory, "custom.dll"),
            ["CUSTOM_VGGISH_PCA"] = Audio.AudioFiles.Pca,
        };

        var executed = new Dictionary<string, ExecutedNotebook>();
        foreach (string notebook in Notebooks())
        {
            var result = Jupyter.Execute(notebook, ExecutedFolder, environment);
            result.ThrowOnErrors();
            executed[result.Name] = result;

            // The libraries came from the local feed (the cached copies were dropped before, so nothing else had them).
            var restore = string.Join("\n", result.Html.Where(h => h.Contains("Installed Packages", StringComparison.Ordinal)));
            Assert.Contains(feed, restore);
            Assert.Matches($@"Custom\.\w+, {LocalFeed.Version.Replace(".", "\\.", StringComparison.Ordinal)}", restore);
        }

        foreach (string name in new[] { "01-explore-data.ipynb", "02-compare-trainers.ipynb" })
        {
            var html = executed[name].Html.ToList();
            int script = html.FindIndex(h => h.Contains("plotly.js v", StringComparison.Ordinal));
            int firstChart = html.FindIndex(h => h.Contains(ChartMarker, StringComparison.Ordinal));
            Assert.True(script >= 0 && firstChart > script, $"{name}: plotly.js must be shown once before the first chart");
            Assert.Single(html, h => h.Contains("plotly.js v", StringComparison.Ordinal));
            int charts = html.Sum(h => Occurrences(h, ChartMarker));
            Assert.True(charts >= 4, $"{name}: {charts} charts inline");
            Assert.Contains(html, h => h.Contains("<table", StringComparison.Ordinal));
            Assert.Equal(charts, await DrawnCharts(Path.Combine(ExecutedFolder, name)));
        }

        Assert.Contains(executed["02-compare-trainers.ipynb"].Html, h => h.Contains(">CV macro-F1</th>", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(_temp.Path, "package", "model.onnx")), "02 saves the package that 03 loads");
        Assert.Contains(executed["03-predict.ipynb"].Html, h => h.Contains("Predicted", StringComparison.Ordinal) && h.Contains("<table", StringComparison.Ordinal));
        AssertServiceAnswered(executed["04-audio-and-service.ipynb"]);
    }

    /// 04: the service answered the upload (one row per 10-second window of the 12-second recording) and the JSON clip
    /// with the labels the notebook's own predictions have, said plainly that the test network means nothing, and
    /// stopped the server it started.
    private void AssertServiceAnswered(ExecutedNotebook notebook)
    {
        Assert.Contains(notebook.Cells.SelectMany(c => c.Outputs), o => o.Text.Contains("its embeddings mean nothing", StringComparison.Ordinal));
        string table = Assert.Single(notebook.Html, h => h.Contains("JSON frames", StringComparison.Ordinal));
        var rows = System.Text.RegularExpressions.Regex.Matches(table,
            "<tr><td>(?<request>[^<]*)</td><td>(?<clip>[^<]*)</td><td>(?<service>[^<]*)</td><td>.*?</td><td>(?<notebook>[^<]*)</td></tr>");
        Assert.Equal(["0–10 s", "10–12 s", "window-0"], rows.Select(r => r.Groups["clip"].Value));
        Assert.All(rows, r => Assert.Equal(r.Groups["notebook"].Value, r.Groups["service"].Value));
        Assert.All(rows, r => Assert.False(string.IsNullOrWhiteSpace(r.Groups["service"].Value)));
        Assert.Empty(ServersOf(_temp.Path));
    }

    /// Processes still running `custom serve` on a package under <paramref name="folder"/> (from /proc).
    private static IEnumerable<string> ServersOf(string folder) =>
        Directory.GetDirectories("/proc")
            .Select(d => Path.Combine(d, "cmdline"))
            .Select(f => { try { return File.ReadAllText(f).Replace('\0', ' '); } catch (IOException) { return ""; } catch (UnauthorizedAccessException) { return ""; } })
            .Where(c => c.Contains(" serve ", StringComparison.Ordinal) && c.Contains(folder, StringComparison.Ordinal));

    private const string ChartMarker = "<div class=\"chart\" data-chart=";

    /// Converts the executed notebook to HTML (as nbconvert shows it) and counts the charts plotly.js drew there,
    /// offline, in Debian's Chromium.
    private static async Task<int> DrawnCharts(string executed)
    {
        var (exit, log) = ProcessRunner.Run("jupyter", ["nbconvert", "--to", "html", Path.GetFileName(executed)],
            Path.GetDirectoryName(executed)!, TimeSpan.FromMinutes(2));
        Assert.True(exit == 0, log);
        await using var chromium = await HeadlessChromium.LaunchAsync();
        // No network: the page's own CDN links (require.js, MathJax) fail, plotly.js is inline.
        var (page, _, _) = await OfflinePage.OpenAsync(chromium.Browser, new Uri(Path.ChangeExtension(executed, ".html")).AbsoluteUri, "file://", height: 900);
        await page.WaitForLoadStateAsync(Microsoft.Playwright.LoadState.NetworkIdle);
        await page.ScreenshotAsync(new() { Path = Path.ChangeExtension(executed, ".png"), FullPage = true });
        return await OfflinePage.DrawnCharts(page);
    }

    private static int Occurrences(string text, string value)
    {
        int count = 0;
        for (int i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
