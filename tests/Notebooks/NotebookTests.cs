using Custom.Tests.Support;

namespace Custom.Tests.Notebooks;

public sealed class NotebookTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string NotebooksFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "notebooks");
            if (File.Exists(Path.Combine(dir.FullName, "Custom.sln")) && Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("notebooks/ not found above the test output");
    }

    [Trait("Category", "Dataset")]
    [Fact]
    public async Task Every_notebook_runs_in_order_and_writes_its_charts_and_package()
    {
        var notebooks = Directory.GetFiles(NotebooksFolder(), "*.ipynb").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["01-explore-data.ipynb", "02-compare-trainers.ipynb", "03-predict.ipynb"], notebooks.Select(Path.GetFileName));
        Environment.SetEnvironmentVariable("CUSTOM_NOTEBOOK_OUT", _temp.Path);
        try
        {
            foreach (string notebook in notebooks)
            {
                await NotebookRunner.RunAsync(notebook);
            }
        }
        finally
        {
            Environment.SetEnvironmentVariable("CUSTOM_NOTEBOOK_OUT", null);
        }

        foreach (string page in new[] { "01-class-distribution.html", "02-training-report.html" })
        {
            string html = File.ReadAllText(_temp.File(page));
            Assert.Contains("Plotly.newPlot", html);
            Assert.True(new FileInfo(_temp.File("plotly.min.js")).Length > 1_000_000);
        }

        Assert.True(File.Exists(Path.Combine(_temp.Path, "package", "model.onnx")));
    }

    [Fact]
    public async Task A_failing_or_unsupported_cell_names_the_notebook_and_cell()
    {
        string Notebook(string name, params string[] cells)
        {
            string path = _temp.File(name);
            var json = new
            {
                cells = cells.Select(c => new { cell_type = "code", metadata = new { }, source = new[] { c } }).Prepend(new { cell_type = "markdown", metadata = new { }, source = new[] { "# title" } }),
            };
            File.WriteAllText(path, System.Text.Json.JsonSerializer.Serialize(json));
            return path;
        }

        var thrown = await Assert.ThrowsAsync<NotebookException>(() => NotebookRunner.RunAsync(Notebook("throws.ipynb", "var x = 1;", "throw new InvalidOperationException(\"boom\");")));
        Assert.Equal("throws.ipynb, cell 3: threw InvalidOperationException: boom", thrown.Message);

        var magic = await Assert.ThrowsAsync<NotebookException>(() => NotebookRunner.RunAsync(Notebook("magic.ipynb", "#!fsharp\nlet x = 1")));
        Assert.StartsWith("magic.ipynb, cell 2: magic command '#!fsharp'", magic.Message);

        var nuget = await Assert.ThrowsAsync<NotebookException>(() => NotebookRunner.RunAsync(Notebook("nuget.ipynb", "#r \"nuget: Foo, 1.0\"")));
        Assert.Contains("nuget.ipynb, cell 2", nuget.Message);

        var broken = await Assert.ThrowsAsync<NotebookException>(() => NotebookRunner.RunAsync(Notebook("broken.ipynb", "int x = \"text\";")));
        Assert.StartsWith("broken.ipynb, cell 2: does not compile", broken.Message);
    }
}
