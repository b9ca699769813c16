using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Custom.Tests.Support;

namespace Custom.Tests.Cli;

/// `custom serve` and `custom bench serve` as a user runs them: errors are one line, SIGTERM stops the server cleanly,
/// and the benchmark prints one JSON line of figures measured with hey.
public sealed class ServeCommandTests : IClassFixture<SmallPackageFixture>, IDisposable
{
    private readonly SmallPackageFixture _packages;
    private readonly TempFolder _temp = new();

    public ServeCommandTests(SmallPackageFixture packages) => _packages = packages;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Bad_options_are_one_line_errors()
    {
        string missing = _temp.File("no-such-package");
        Assert.Contains(missing, CliRunner.AssertOneLineError(CliRunner.Run("serve", "--model", missing)));
        Assert.Contains("used twice", CliRunner.AssertOneLineError(CliRunner.Run("serve", "--model", "a=" + _packages.First, "--model", "a=" + _packages.Second)));
        Assert.Contains("--max-body-mb must be above 0", CliRunner.AssertOneLineError(CliRunner.Run("serve", "--model", _packages.First, "--max-body-mb", "0")));
        Assert.Contains("--pca needs --vggish", CliRunner.AssertOneLineError(CliRunner.Run("serve", "--model", _packages.First, "--pca", "p.npz")));
        Assert.Contains("vggish.onnx", CliRunner.AssertOneLineError(CliRunner.Run("serve", "--model", _packages.First, "--vggish", _temp.File("vggish.onnx"))));

        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;
        Assert.Contains("address already in use", CliRunner.AssertOneLineError(CliRunner.Run("serve", "--model", _packages.First, "--urls", $"http://127.0.0.1:{port}")));
        Assert.Contains("--rss-requests at least 10", CliRunner.AssertOneLineError(CliRunner.Run("bench", "serve", "--model", _packages.First, "--rss-requests", "5")));
    }

    [Fact]
    public async Task Sigterm_stops_the_server_after_it_served()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in new[] { Path.Combine(AppContext.BaseDirectory, "custom.dll"), "serve", "--model", "small=" + _packages.First, "--urls", $"http://127.0.0.1:{port}" })
        {
            start.ArgumentList.Add(argument);
        }

        using var server = Process.Start(start)!;
        var output = server.StandardOutput.ReadToEndAsync();
        var error = server.StandardError.ReadToEndAsync();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var ready = Stopwatch.StartNew();
            while (true)
            {
                try
                {
                    if ((await client.GetAsync("/readyz")).IsSuccessStatusCode)
                    {
                        break;
                    }
                }
                catch (HttpRequestException) when (ready.Elapsed < TimeSpan.FromSeconds(60) && !server.HasExited)
                {
                    await Task.Delay(200);
                }
            }

            var models = JsonDocument.Parse(await client.GetStringAsync("/models")).RootElement;
            Assert.Equal("small", models.GetProperty("models")[0].GetProperty("name").GetString());
            using (var kill = Process.Start("kill", ["-TERM", server.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            Assert.True(server.WaitForExit(TimeSpan.FromSeconds(30)), "the server did not stop within 30 s of SIGTERM");
            Assert.Equal(0, server.ExitCode);
            Assert.Contains("Application is shutting down", await output);
            Assert.DoesNotContain("   at ", await error);
        }
        finally
        {
            if (!server.HasExited)
            {
                server.Kill();
            }
        }
    }

    [Fact]
    public void Bench_serve_prints_one_json_line_of_figures_from_hey()
    {
        var run = CliRunner.Run("bench", "serve", "--model", _packages.First, "--requests", "400", "--rounds", "1", "--connections", "4",
            "--batch-clips", "50", "--batch-requests", "4", "--rss-requests", "2000");
        Assert.True(run.Exit == 0, run.Err);
        var line = JsonDocument.Parse(Assert.Single(run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries))).RootElement;
        Assert.Equal("hey", line.GetProperty("tool").GetString());
        foreach (string run_ in new[] { "predict", "bare", "batched_tfrecord", "batched_json" })
        {
            var figures = line.GetProperty(run_);
            Assert.Equal(0, figures.GetProperty("errors").GetInt32());
            Assert.True(figures.GetProperty("requests_per_s").GetDouble() > 0, run_);
        }

        Assert.Equal(400, line.GetProperty("predict").GetProperty("requests").GetInt32());
        Assert.True(line.GetProperty("predict").GetProperty("p99_ms").GetDouble() >= line.GetProperty("predict").GetProperty("p50_ms").GetDouble());
        Assert.Equal(Math.Round(line.GetProperty("predict").GetProperty("requests_per_s").GetDouble() / line.GetProperty("bare").GetProperty("requests_per_s").GetDouble(), 3),
            line.GetProperty("predict_over_bare").GetDouble());
        Assert.Equal(line.GetProperty("batched_tfrecord").GetProperty("requests_per_s").GetDouble() * 50, line.GetProperty("batched_tfrecord_clips_per_s").GetDouble(), 0);
        Assert.True(line.GetProperty("rss_mb_at_first_mark").GetInt64() > 0);
        Assert.True(line.GetProperty("rss_last_mark_requests").GetInt32() >= 2000);
    }
}
