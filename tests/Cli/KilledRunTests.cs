using System.Diagnostics;
using System.Text.Json;
using Custom.Data;
using Custom.Tests.Support;

namespace Custom.Tests.Cli;

/// `kill -9` at any moment of a run leaves either the old complete set or the new one, never a mix, never hidden.
public sealed class KilledRunTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static Process Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "custom.dll"));
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }

    [Fact]
    public void Report_killed_at_random_moments_leaves_one_complete_set()
    {
        string data = TinyData.Dataset(_temp);
        string outDir = _temp.File("distribution");
        string[] set = [AtomicDirectory.MarkerFile, "class-distribution.html", "class-distribution.json", "class-distribution.md", "plotly.min.js"];
        var random = new Random(14);
        int killed = 0;
        for (int run = 0; run < 6; run++)
        {
            // Kill while the output is being written: a random moment after the staging folder appears.
            using var process = Start("report", "--data", data, "--out", outDir, "-j", "1");
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!process.HasExited && DateTime.UtcNow < deadline && !Directory.EnumerateDirectories(_temp.Path, ".distribution.*.staging").Any())
            {
                Thread.Sleep(2);
            }

            bool exited = process.WaitForExit(TimeSpan.FromMilliseconds(random.Next(0, run == 0 ? 1 : 120)));
            if (!exited)
            {
                process.Kill(entireProcessTree: true); // SIGKILL
                process.WaitForExit();
                killed++;
            }
            else
            {
                Assert.Equal(0, process.ExitCode);
            }

            // Whatever happened, the folder is absent (no run finished yet) or holds one whole set.
            if (Directory.Exists(outDir))
            {
                Assert.Equal(set, Directory.EnumerateFileSystemEntries(outDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
                using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "class-distribution.json")));
            }
        }

        Assert.True(killed > 0, "no run was killed mid-write");

        // One more run to the end cleans up whatever the killed runs left beside the folder.
        using (var last = Start("report", "--data", data, "--out", outDir, "-j", "1"))
        {
            last.WaitForExit();
            Assert.Equal(0, last.ExitCode);
        }

        Assert.Equal([".distribution.lock", "audioset", "distribution"], Directory.EnumerateFileSystemEntries(_temp.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }
}
