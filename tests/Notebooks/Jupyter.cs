using System.Text.Json;

namespace Custom.Tests.Notebooks;

/// Executes a notebook top to bottom in the real .NET Interactive kernel (Jupyter's `.net-csharp`, registered by
/// `dotnet interactive jupyter install`) with `jupyter nbconvert --execute`, as a user would, and reads the outputs
/// back. A cell that fails is reported with the notebook, the cell number and the error.
internal static class Jupyter
{
    public const string Kernel = ".net-csharp";

    /// Runs <paramref name="notebook"/> with its own folder as the working directory (as Jupyter does) and writes the
    /// executed copy to <paramref name="outputFolder"/>.
    public static ExecutedNotebook Execute(string notebook, string outputFolder, IReadOnlyDictionary<string, string>? environment = null)
    {
        Directory.CreateDirectory(outputFolder);
        string name = Path.GetFileName(notebook);
        var (exit, log) = ProcessRunner.Run("jupyter",
            ["nbconvert", "--to", "notebook", "--execute", "--allow-errors", $"--ExecutePreprocessor.kernel_name={Kernel}",
             "--ExecutePreprocessor.timeout=900", "--output-dir", outputFolder, name],
            Path.GetDirectoryName(Path.GetFullPath(notebook))!, TimeSpan.FromMinutes(20), environment);
        string executed = Path.Combine(outputFolder, name);
        if (exit != 0 || !File.Exists(executed))
        {
            throw new NotebookException($"{name}: jupyter nbconvert failed (exit {exit}); is the kernel registered (dotnet interactive jupyter install)?\n{Tail(log)}");
        }

        return ExecutedNotebook.Load(executed);
    }

    private static string Tail(string log) => log.Length <= 4000 ? log : log[^4000..];
}

/// The outputs of an executed notebook.
internal sealed class ExecutedNotebook
{
    private ExecutedNotebook(string name, IReadOnlyList<Cell> cells)
    {
        Name = name;
        Cells = cells;
    }

    public string Name { get; }

    public IReadOnlyList<Cell> Cells { get; }

    /// Every text/html output, in order.
    public IEnumerable<string> Html => Cells.SelectMany(c => c.Outputs).Where(o => o.Html is not null).Select(o => o.Html!);

    public static ExecutedNotebook Load(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var cells = new List<Cell>();
        int number = 0;
        foreach (var cell in document.RootElement.GetProperty("cells").EnumerateArray())
        {
            number++;
            string source = Text(cell.GetProperty("source"));
            var outputs = new List<Output>();
            if (cell.TryGetProperty("outputs", out var list))
            {
                foreach (var output in list.EnumerateArray())
                {
                    outputs.Add(Output.Read(output));
                }
            }

            cells.Add(new Cell(number, cell.GetProperty("cell_type").GetString()!, source, outputs));
        }

        return new ExecutedNotebook(Path.GetFileName(path), cells);
    }

    /// Fails with the notebook, cell and error of the first cell that raised an error or wrote to stderr.
    public void ThrowOnErrors()
    {
        foreach (var cell in Cells)
        {
            foreach (var output in cell.Outputs)
            {
                if (output.Kind == "error")
                {
                    throw new NotebookException($"{Name}, cell {cell.Number}: {output.Text}");
                }

                if (output is { Kind: "stream", Stream: "stderr" })
                {
                    throw new NotebookException($"{Name}, cell {cell.Number}: wrote to stderr: {output.Text.Trim()}");
                }
            }
        }
    }

    internal static string Text(JsonElement value) => value.ValueKind == JsonValueKind.Array
        ? string.Concat(value.EnumerateArray().Select(l => l.GetString()))
        : value.GetString() ?? "";

    internal sealed record Cell(int Number, string Kind, string Source, IReadOnlyList<Output> Outputs);

    internal sealed record Output(string Kind, string? Stream, string Text, string? Html)
    {
        public static Output Read(JsonElement output)
        {
            string kind = output.GetProperty("output_type").GetString()!;
            return kind switch
            {
                "stream" => new Output(kind, output.GetProperty("name").GetString(), ExecutedNotebook.Text(output.GetProperty("text")), null),
                "error" => new Output(kind, null, $"{output.GetProperty("ename").GetString()}: {output.GetProperty("evalue").GetString()}", null),
                _ => new Output(kind, null,
                    output.GetProperty("data").TryGetProperty("text/plain", out var plain) ? ExecutedNotebook.Text(plain) : "",
                    output.GetProperty("data").TryGetProperty("text/html", out var html) ? ExecutedNotebook.Text(html) : null),
            };
        }
    }
}

internal sealed class NotebookException(string message) : Exception(message);
