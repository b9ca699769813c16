namespace Custom.Tests.Audio;

/// Deterministic test signals as int16 samples, defined by formulas that numpy evaluates identically (the expected
/// values in the tests were computed from the same definitions with the public VGGish reference; see docs/audio.md).
internal static class TestSignals
{
    public const int Rate = 16_000;

    public static short[] Get(string name) => name switch
    {
        "tone" => Quantize(Time(2 * Rate, Rate).Select(t => 0.5 * Math.Sin(2 * Math.PI * 440.0 * t))),
        "chirp" => Quantize(Time(3 * Rate, Rate).Select(t => 0.4 * Math.Sin(2 * Math.PI * ((100.0 * t) + (0.5 * (6900.0 / 3.0) * t * t))))),
        "noise" => Quantize(LcgNoise(24_000, 12345).Select(v => 0.25 * v)),
        "mix" => Quantize(Time(10 * Rate, Rate).Zip(LcgNoise(10 * Rate, 99), (t, n) => (0.3 * Math.Sin(2 * Math.PI * 1000.0 * t)) + (0.1 * n))),
        "voice" => Voice(),
        "silence" => new short[Rate],
        _ => throw new ArgumentException(name),
    };

    /// 0.4·sin(2π·1000·t) + 0.2·noise for one second at <paramref name="rate"/>, as int16 / 32768.
    public static double[] ToneAndNoise(int rate) =>
        Quantize(Time(rate, rate).Zip(LcgNoise(rate, 7), (t, n) => (0.4 * Math.Sin(2 * Math.PI * 1000.0 * t)) + (0.2 * n))).Select(s => s / 32768.0).ToArray();

    public static double[] ToUnit(short[] samples) => samples.Select(s => s / 32768.0).ToArray();

    /// Uniform noise in [-1, 1) from the 32-bit LCG x ← 1664525·x + 1013904223 (its top 16 bits).
    public static IEnumerable<double> LcgNoise(int count, uint seed)
    {
        uint x = seed;
        for (int i = 0; i < count; i++)
        {
            x = unchecked((1664525 * x) + 1013904223);
            yield return ((int)(x >> 16) - 32768) / 32768.0;
        }
    }

    private static short[] Voice()
    {
        var t = Time((int)(1.5 * Rate), Rate).ToArray();
        var samples = new double[t.Length];
        double cumulative = 0;
        for (int i = 0; i < t.Length; i++)
        {
            cumulative += 120.0 + (10.0 * Math.Sin(2 * Math.PI * 5.0 * t[i]));
            double phase = 2 * Math.PI * cumulative / Rate;
            double v = 0;
            for (int h = 1; h <= 30; h++)
            {
                v += 0.6 / h * Math.Sin(h * phase);
            }

            samples[i] = 0.3 * (0.5 * (1 - Math.Cos(2 * Math.PI * 4.0 * t[i]))) * v;
        }

        return Quantize(samples);
    }

    private static IEnumerable<double> Time(int count, int rate) => Enumerable.Range(0, count).Select(i => i / (double)rate);

    private static short[] Quantize(IEnumerable<double> values) =>
        values.Select(v => (short)Math.Clamp(Math.Floor((v * 32767.0) + 0.5), -32768, 32767)).ToArray();
}
