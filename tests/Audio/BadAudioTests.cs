using Custom.Audio;
using Custom.Tests.Cli;
using Custom.Tests.Support;

namespace Custom.Tests.Audio;

/// Unusable audio: one clear message naming the file and the problem, from the library and from the CLI.
public sealed class BadAudioTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static byte[] GoodWav() => WavBuilder.Mono16(TestSignals.ToUnit(TestSignals.Get("tone")));

    public static TheoryData<string, string> Cases => new()
    {
        { "empty", "the file is empty" },
        { "truncated-header", "not a readable WAV file" },
        { "declared-too-long", "declares" },
        { "cut-short", "declares" },
        { "bad-block-align", "inconsistent WAV header" },
        { "not-audio", "not audio that ffmpeg can decode" },
        { "half-second", "too short" },
        { "zero-rate", "sample rate 0 Hz" },
        { "image", "no audio stream in it" },
    };

    private static byte[] Make(string kind)
    {
        var good = GoodWav();
        switch (kind)
        {
            case "empty": return [];
            case "truncated-header": return good[..30];
            case "declared-too-long": return WavBuilder.Build([TestSignals.ToUnit(TestSignals.Get("tone"))], 16_000, WavBuilder.Encoding.Pcm16, declaredDataBytes: 10_000_000);
            case "cut-short": return good[..(good.Length / 2)];
            case "bad-block-align":
                var bad = good.ToArray();
                bad[32] = 3; // block align 3 for one 16-bit channel
                return bad;
            case "not-audio": return System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("this is a text file, not a recording\n", 200)));
            case "half-second": return WavBuilder.Mono16(new double[8_000]);
            case "zero-rate":
                var zero = good.ToArray();
                Array.Clear(zero, 24, 4);
                return zero;
            case "image": return Picture.Value;
            default: throw new ArgumentException(kind);
        }
    }

    /// A PNG that ffmpeg reads as a picture: a file with streams, none of them sound.
    private static readonly Lazy<byte[]> Picture = new(() =>
    {
        using var folder = new TempFolder();
        string path = folder.File("picture.png");
        DecodingTests.Ffmpeg("-f", "lavfi", "-i", "color=c=red:s=16x16:d=1", "-frames:v", "1", path);
        return File.ReadAllBytes(path);
    });

    [Theory]
    [MemberData(nameof(Cases))]
    public void Library_throws_one_clear_message(string kind, string expected)
    {
        var e = Assert.Throws<AudioFormatException>(() => AudioEmbedder.Decode(new MemoryStream(Make(kind)), kind + ".wav", CancellationToken.None));
        Assert.StartsWith(kind + ".wav: ", e.Message);
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain("\n", e.Message);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Cli_prints_one_line_and_exits_2(string kind, string expected)
    {
        string input = _temp.File(kind + ".wav");
        File.WriteAllBytes(input, Make(kind));
        string output = _temp.File("x.npy");
        string line = CliRunner.AssertOneLineError(CliRunner.Run("audio", "logmel", "--input", input, "--out", output));
        Assert.Contains(expected, line);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void A_two_hour_wav_is_refused_from_its_header()
    {
        // A real two-hour file: 1 kHz, 8-bit, mono (7.2 MB).
        string input = _temp.File("two-hours.wav");
        File.WriteAllBytes(input, WavBuilder.Build([new double[7200 * 1000]], 1000, WavBuilder.Encoding.Pcm8));
        string line = CliRunner.AssertOneLineError(CliRunner.Run("audio", "logmel", "--input", input, "--out", _temp.File("x.npy")));
        Assert.Contains("longer than the limit of 600 s", line);
    }

    [Fact]
    public void A_two_hour_compressed_file_is_refused_after_decoding_only_the_limit()
    {
        string input = _temp.File("two-hours.flac");
        DecodingTests.Ffmpeg("-f", "lavfi", "-i", "anullsrc=r=8000:cl=mono", "-t", "7200", "-c:a", "flac", input);
        long before = GC.GetTotalMemory(false);
        var e = Assert.Throws<AudioFormatException>(() =>
        {
            using var stream = File.OpenRead(input);
            AudioEmbedder.Decode(stream, input, CancellationToken.None);
        });
        Assert.Contains("longer than the limit of 600 s", e.Message);
        // Bounded: at most the limit's worth of samples was ever held (601 s × 8 kHz × 8 bytes ≈ 38 MB).
        Assert.True(GC.GetTotalMemory(false) - before < 200_000_000);
    }

    [Fact]
    public void Without_ffmpeg_a_non_wav_file_is_refused_saying_so()
    {
        string input = _temp.File("tone.ogg");
        string wav = _temp.File("tone.wav");
        File.WriteAllBytes(wav, GoodWav());
        DecodingTests.Ffmpeg("-i", wav, input);

        // The CLI in a child process whose PATH has no ffmpeg (the dotnet host is named by its full path).
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? Environment.ProcessPath!;
        var start = new System.Diagnostics.ProcessStartInfo(dotnet) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in new[] { typeof(Custom.Cli.CliApp).Assembly.Location, "audio", "logmel", "--input", input, "--out", _temp.File("x.npy") })
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["PATH"] = _temp.Folder("empty-path");
        using var process = System.Diagnostics.Process.Start(start)!;
        string errors = process.StandardError.ReadToEnd();
        process.WaitForExit();

        Assert.Equal(2, process.ExitCode);
        string line = Assert.Single(errors.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"custom: error: {input}: not a WAV file, and other formats need ffmpeg on the PATH, which was not found (Debian: apt-get install ffmpeg)", line);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        string line = CliRunner.AssertOneLineError(CliRunner.Run("audio", "logmel", "--input", _temp.File("nothing.wav"), "--out", _temp.File("x.npy")));
        Assert.Contains("nothing.wav: audio file not found", line);
    }
}
