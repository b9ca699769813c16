using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Custom.Data;

namespace Custom.Cli.Bench;

/// One bounded run of the `hey` load generator (Debian package 'hey') and the figures read from its summary.
/// Latencies are null when hey gives no such percentile (runs of very few requests).
internal sealed record HeyRun(int Requests, double RequestsPerS, double? P50Ms, double? P99Ms, int Errors)
{
    public const string Tool = "hey";

    /// Sends <paramref name="requests"/> POSTs of <paramref name="bodyFile"/> over <paramref name="connections"/>
    /// connections; killed (and reported as an error) if it runs longer than <paramref name="timeLimit"/>.
    public static HeyRun Post(string url, string bodyFile, string contentType, int requests, int connections, TimeSpan timeLimit)
    {
        // hey gives each connection requests / connections requests: ask for a multiple so the count is exact.
        connections = Math.Clamp(connections, 1, requests);
        requests = requests / connections * connections;
        var start = new ProcessStartInfo(Tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { "-n", Invariant(requests), "-c", Invariant(connections), "-t", "20", "-m", "POST", "-T", contentType, "-D", bodyFile, url })
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidInputException($"cannot run '{Tool}' ({e.Message}): install it (Debian: apt-get install hey)", e);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeLimit))
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidInputException($"{Tool} did not finish {requests} requests within {timeLimit.TotalSeconds:F0} s; lower --requests or raise --time-limit");
            }

            if (process.ExitCode != 0)
            {
                throw new InvalidInputException($"{Tool} failed (exit {process.ExitCode}): {error.Result.Trim()}");
            }

            var run = Parse(output.Result, requests);
            if (!(run.RequestsPerS > 0))
            {
                throw new InvalidInputException($"{Tool} reported no request rate for {url}: {output.Result.Trim()}");
            }

            return run;
        }
    }

    /// Reads hey's text summary: Requests/sec, the 50% and 99% latency lines and the status code counts.
    internal static HeyRun Parse(string summary, int requests)
    {
        double Seconds(string pattern) =>
            Regex.Match(summary, pattern) is { Success: true } m ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : double.NaN;

        int ok = Regex.Matches(summary, @"\[200\]\s+(\d+) responses").Sum(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
        return new HeyRun(requests,
            Math.Round(Seconds(@"Requests/sec:\s+([0-9.]+)"), 1),
            Milliseconds(Seconds(@"50%+ in ([0-9.]+) secs")),
            Milliseconds(Seconds(@"99%+ in ([0-9.]+) secs")),
            requests - ok);
    }

    private static double? Milliseconds(double seconds) => double.IsNaN(seconds) ? null : Math.Round(seconds * 1000, 3);

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
