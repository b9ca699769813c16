using System.Text.Json;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace Custom.Tests.Notebooks;

/// Runs the C# cells of a Polyglot (.NET Interactive) notebook in order with Roslyn scripting, since the Polyglot
/// kernel is not available here. It understands `#r "path.dll"` (resolved by file name to the assemblies this test
/// project was built with: the same libraries the notebooks load from cli/bin) and `#!csharp`; any other magic,
/// a `#r "nuget: …"`, or a cell in another language fails with the notebook name and cell number.
internal static class NotebookRunner
{
    public static async Task RunAsync(string notebookPath)
    {
        string name = Path.GetFileName(notebookPath);
        using var document = JsonDocument.Parse(File.ReadAllText(notebookPath));
        var options = ScriptOptions.Default
            .WithReferences(FrameworkReferences())
            .WithImports("System", "System.IO", "System.Linq", "System.Collections.Generic", "System.Threading.Tasks")
            .WithLanguageVersion(Microsoft.CodeAnalysis.CSharp.LanguageVersion.Latest);
        ScriptState<object>? state = null;
        int cellNumber = 0;
        foreach (var cell in document.RootElement.GetProperty("cells").EnumerateArray())
        {
            cellNumber++;
            if (cell.GetProperty("cell_type").GetString() != "code")
            {
                continue;
            }

            string where = $"{name}, cell {cellNumber}";
            string language = cell.TryGetProperty("metadata", out var metadata) && metadata.TryGetProperty("polyglot_notebook", out var polyglot)
                ? polyglot.GetProperty("kernelName").GetString()! : "csharp";
            if (language != "csharp")
            {
                throw new NotebookException($"{where}: kernel '{language}' is not supported (C# only)");
            }

            string source = string.Concat(cell.GetProperty("source").EnumerateArray().Select(l => l.GetString()));
            var code = new List<string>();
            foreach (string line in source.Split('\n'))
            {
                string trimmed = line.Trim();
                if (trimmed.StartsWith("#r ", StringComparison.Ordinal))
                {
                    options = options.AddReferences(Reference(trimmed, where));
                }
                else if (trimmed is "#!csharp" or "#!c#")
                {
                    continue;
                }
                else if (trimmed.StartsWith("#!", StringComparison.Ordinal))
                {
                    throw new NotebookException($"{where}: magic command '{trimmed}' is not supported");
                }
                else
                {
                    code.Add(line);
                }
            }

            string text = string.Join('\n', code);
            try
            {
                state = state is null
                    ? await CSharpScript.RunAsync(text, options)
                    : await state.ContinueWithAsync(text, options);
            }
            catch (CompilationErrorException e)
            {
                throw new NotebookException($"{where}: does not compile: {string.Join("; ", e.Diagnostics)}", e);
            }
            catch (Exception e) when (e is not NotebookException)
            {
                throw new NotebookException($"{where}: threw {e.GetType().Name}: {e.Message}", e);
            }
        }
    }

    // The shared framework the test runs on, as the Polyglot kernel offers it to every cell.
    private static IEnumerable<MetadataReference> FrameworkReferences()
    {
        string runtime = System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory();
        return ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(path => path.StartsWith(runtime, StringComparison.Ordinal))
            .Select(path => MetadataReference.CreateFromFile(path));
    }

    private static MetadataReference Reference(string directive, string where)
    {
        string target = directive["#r ".Length..].Trim().Trim('"');
        if (target.StartsWith("nuget:", StringComparison.OrdinalIgnoreCase))
        {
            throw new NotebookException($"{where}: '{directive}' needs the Polyglot kernel's NuGet support; notebooks here reference the build output");
        }

        string local = Path.Combine(AppContext.BaseDirectory, Path.GetFileName(target));
        if (!File.Exists(local))
        {
            throw new NotebookException($"{where}: '{directive}': no {Path.GetFileName(target)} in the build output");
        }

        return MetadataReference.CreateFromFile(local);
    }
}

internal sealed class NotebookException(string message, Exception? inner = null) : Exception(message, inner);
