using System.Diagnostics;
using Custom.Audio;
using Custom.Tests.Support;

namespace Custom.Tests.Audio;

/// WAV in every PCM and float width, mono and multichannel, plain and extensible headers, odd rates; other formats
/// through ffmpeg.
public sealed class DecodingTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static double[] Signal(int rate, int count) =>
        TestSignals.LcgNoise(count, 3).Select((n, i) => (0.5 * Math.Sin(2 * Math.PI * 500.0 * i / rate)) + (0.2 * n)).ToArray();

    private static double[] Decode(byte[] file) =>
        AudioEmbedder.Decode(new MemoryStream(file), "test.wav", CancellationToken.None);

    [Theory]
    [InlineData(WavBuilder.Encoding.Pcm8, false, 1.0 / 128)]
    [InlineData(WavBuilder.Encoding.Pcm16, false, 1.0 / 32768)]
    [InlineData(WavBuilder.Encoding.Pcm24, false, 1.0 / 8388608)]
    [InlineData(WavBuilder.Encoding.Pcm32, false, 1e-7)]
    [InlineData(WavBuilder.Encoding.Float32, false, 1e-7)]
    [InlineData(WavBuilder.Encoding.Float64, false, 1e-7)]
    [InlineData(WavBuilder.Encoding.Pcm16, true, 1.0 / 32768)]
    [InlineData(WavBuilder.Encoding.Pcm24, true, 1.0 / 8388608)]
    [InlineData(WavBuilder.Encoding.Float32, true, 1e-7)]
    public void Every_sample_format_decodes_to_its_values(WavBuilder.Encoding encoding, bool extensible, double precision)
    {
        var x = Signal(16_000, 20_000);
        var decoded = Decode(WavBuilder.Build([x], 16_000, encoding, extensible));
        Assert.Equal(x.Length, decoded.Length);
        for (int i = 0; i < x.Length; i++)
        {
            Assert.Equal(x[i], decoded[i], precision);
        }
    }

    [Fact]
    public void Sixteen_bit_samples_are_exactly_int16_over_32768()
    {
        var x = TestSignals.ToUnit(TestSignals.Get("noise"));
        Assert.Equal(x, Decode(WavBuilder.Mono16(x)));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(6)]
    public void Channels_are_averaged(int channels)
    {
        var planes = Enumerable.Range(0, channels).Select(c => Signal(16_000, 16_000).Select(v => v * (c + 1) / channels).ToArray()).ToArray();
        var decoded = Decode(WavBuilder.Build(planes, 16_000, WavBuilder.Encoding.Pcm24, extensible: channels > 2));
        for (int i = 0; i < decoded.Length; i += 13)
        {
            Assert.Equal(planes.Average(p => p[i]), decoded[i], 1e-6);
        }
    }

    [Theory]
    [InlineData(8_000)]
    [InlineData(11_025)]
    [InlineData(22_050)]
    [InlineData(44_100)]
    [InlineData(48_000)]
    [InlineData(96_000)]
    [InlineData(7_919)]
    public void Any_rate_is_resampled_to_16_kHz(int rate)
    {
        var x = Enumerable.Range(0, 2 * rate).Select(i => 0.5 * Math.Sin(2 * Math.PI * 1000.0 * i / rate)).ToArray();
        var decoded = Decode(WavBuilder.Build([x], rate, WavBuilder.Encoding.Float32));
        Assert.Equal((long)(2 * rate * (16_000.0 / rate)), decoded.Length);
        for (int n = 2000; n < 30_000; n += 101)
        {
            Assert.Equal(0.5 * Math.Sin(2 * Math.PI * 1000.0 * n / 16_000), decoded[n], 2e-3);
        }
    }

    [Theory]
    [InlineData("flac", 1e-12)]
    [InlineData("ogg", 0.05)]
    [InlineData("mp3", 0.05)]
    [InlineData("m4a", 0.05)]
    [InlineData("opus", 0.05)]
    public void Other_formats_go_through_ffmpeg(string extension, double tolerance)
    {
        var x = TestSignals.ToUnit(TestSignals.Get("tone"));
        string wav = _temp.File("tone.wav");
        File.WriteAllBytes(wav, WavBuilder.Mono16(x));
        string encoded = _temp.File("tone." + extension);
        // Lossless flac stays at 16 kHz (bit-exact); the lossy ones go through 48 kHz, so the resampler runs too.
        Ffmpeg(["-i", wav, .. extension == "flac" ? Array.Empty<string>() : ["-ar", "48000"], encoded]);

        using var stream = File.OpenRead(encoded);
        var decoded = AudioEmbedder.Decode(stream, encoded, CancellationToken.None);

        // Lossy codecs add delay and padding; compare the level and a stretch in the middle.
        Assert.InRange(decoded.Length, x.Length - 100, x.Length + 2000);
        double rms = Math.Sqrt(decoded.Skip(4000).Take(20_000).Average(v => v * v));
        Assert.Equal(0.5 / Math.Sqrt(2), rms, 0.02);
        if (extension == "flac")
        {
            Assert.Equal(x.Length, decoded.Length);
            Assert.All(Enumerable.Range(0, x.Length).Where(i => i % 7 == 0), i => Assert.Equal(x[i], decoded[i], tolerance));
        }
    }

    [Fact]
    public void A_forward_only_stream_is_read_too()
    {
        var x = TestSignals.ToUnit(TestSignals.Get("tone"));
        using var stream = new ForwardOnlyStream(WavBuilder.Mono16(x));
        Assert.Equal(x, AudioEmbedder.Decode(stream, "upload", CancellationToken.None));
    }

    internal static void Ffmpeg(params string[] arguments)
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { "-nostdin", "-hide_banner", "-loglevel", "error", "-y" }.Concat(arguments))
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        string errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, "ffmpeg: " + errors);
    }

    private sealed class ForwardOnlyStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
