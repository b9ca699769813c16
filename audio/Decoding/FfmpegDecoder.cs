using System.ComponentModel;
using System.Diagnostics;

namespace Custom.Audio.Decoding;

/// Any format ffmpeg reads (ogg/opus, webm, mp3, flac, m4a, …): ffmpeg writes the first audio stream as a 32-bit float
/// WAV at its own rate and channel count into a private temp folder, and <see cref="WavDecoder"/> reads that, so
/// every format shares one mono mix and one resampler. The input goes through a file because some containers
/// (m4a) need seeking.
internal static class FfmpegDecoder
{
    public const string Executable = "ffmpeg";

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    public static DecodedAudio Decode(Stream stream, string name, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("custom-audio-");
        try
        {
            string input = Path.Combine(folder.FullName, "input");
            string output = Path.Combine(folder.FullName, "decoded.wav");
            using (var file = File.Create(input))
            {
                stream.CopyTo(file);
            }

            Run(input, output, name, cancellationToken);
            using var decoded = File.OpenRead(output);
            return WavDecoder.Decode(decoded, name);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static void Run(string input, string output, string name, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        // One second past the limit, so a longer recording is recognised as too long without decoding all of it.
        foreach (string argument in new[]
        {
            "-nostdin", "-hide_banner", "-loglevel", "error", "-i", input, "-map", "0:a:0", "-vn",
            "-t", (AudioLimits.MaxDurationSeconds + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-c:a", "pcm_f32le", "-f", "wav", "-y", output,
        })
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception("not started");
        }
        catch (Win32Exception e)
        {
            throw new AudioFormatException($"{name}: not a WAV file, and other formats need ffmpeg on the PATH, which was not found (Debian: apt-get install ffmpeg)", e);
        }

        using (process)
        {
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            process.StandardOutput.ReadToEndAsync(cancellationToken);
            bool finished;
            try
            {
                finished = process.WaitForExitAsync(cancellationToken).Wait(Timeout, CancellationToken.None);
            }
            catch (AggregateException e) when (e.InnerException is OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw e.InnerException;
            }

            if (!finished)
            {
                process.Kill(entireProcessTree: true);
                throw new AudioFormatException($"{name}: ffmpeg did not finish decoding within {Timeout.TotalMinutes:0} minutes");
            }

            if (process.ExitCode != 0 || !File.Exists(output))
            {
                // The process has exited, but its stderr pipe may still be draining.
                string text = errors.Wait(TimeSpan.FromSeconds(10), CancellationToken.None) ? errors.Result : "";
                if (text.Contains("matches no streams", StringComparison.Ordinal))
                {
                    throw new AudioFormatException($"{name}: no audio stream in it (ffmpeg reads it, but finds no sound)");
                }

                throw new AudioFormatException($"{name}: not audio that ffmpeg can decode ({LastLine(text, input)})");
            }
        }
    }

    private static string LastLine(string text, string input)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "no reason given" : lines[^1].Replace(input, "input", StringComparison.Ordinal);
    }
}
