using NWaves.Utils;

namespace Custom.Audio.Resampling;

/// <summary>
/// Band-limited resampling as resampy's <c>resample(x, sr_orig, sr_new, filter='kaiser_best')</c>, the resampler
/// of the VGGish reference: a windowed-sinc interpolator whose right wing is tabulated at 2^9 points per zero crossing
/// over 64 crossings (Kaiser window β = 14.769656459379492, cutoff 0.9475937167399596 of the lower Nyquist), read
/// with linear interpolation between table entries at each output instant t/ratio. When downsampling the filter is
/// stretched by 1/ratio and scaled by ratio. Output length ⌊n·ratio⌋; no delay.
/// </summary>
internal static class KaiserBestResampler
{
    private const int ZeroCrossings = 64;
    private const int TableSize = 1 << 9;
    private const double Beta = 14.769656459379492;
    private const double Rolloff = 0.9475937167399596;

    private static readonly double[] Wing = BuildWing();

    /// <summary>Resamples <paramref name="x"/>; the same array comes back when the rates are equal.</summary>
    public static double[] Resample(double[] x, int fromRate, int toRate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fromRate, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(toRate, 1);
        if (fromRate == toRate)
        {
            return x;
        }

        double ratio = toRate / (double)fromRate;
        double scale = Math.Min(1.0, ratio);
        int step = (int)(scale * TableSize);
        var wing = ratio < 1 ? Array.ConvertAll(Wing, w => w * ratio) : Wing;
        var delta = new double[wing.Length];
        for (int i = 0; i < wing.Length - 1; i++)
        {
            delta[i] = wing[i + 1] - wing[i];
        }

        // The taps one output reads are wing[offset + i·step], i = 0, 1, …: stored per offset as contiguous rows so
        // the inner loops stream through memory. Same values, same order of summation as reading wing directly.
        var (weights, deltas) = (Strided(wing, step), Strided(delta, step));
        var y = new double[(long)(x.Length * ratio)];
        long length = x.Length;
        for (long t = 0; t < y.Length; t++)
        {
            double time = t / ratio;
            long n = (long)time;
            double frac = scale * (time - n);
            double sum = 0;

            // Left wing: input samples n, n−1, … at distances frac, frac + scale, … (in input samples × scale).
            double index = frac * TableSize;
            int offset = (int)index;
            double eta = index - offset;
            int count = (int)Math.Min(n + 1, (wing.Length - offset) / step);
            var w = weights[offset].AsSpan(0, count);
            var d = deltas[offset].AsSpan(0, count);
            var left = x.AsSpan((int)(n - count + 1), count);
            for (int i = 0; i < w.Length; i++)
            {
                sum += (w[i] + (eta * d[i])) * left[count - 1 - i];
            }

            // Right wing: input samples n+1, n+2, ….
            index = (scale - frac) * TableSize;
            offset = (int)index;
            eta = index - offset;
            count = (int)Math.Min(length - n - 1, (wing.Length - offset) / step);
            w = weights[offset].AsSpan(0, count);
            d = deltas[offset].AsSpan(0, count);
            var right = x.AsSpan((int)(n + 1), count);
            for (int i = 0; i < w.Length; i++)
            {
                sum += (w[i] + (eta * d[i])) * right[i];
            }

            y[t] = sum;
        }

        return y;
    }

    /// rows[o][i] = values[o + i·step] for every offset o = 0 … step (an output's first tap lies in [0, step]).
    private static double[][] Strided(double[] values, int step)
    {
        var rows = new double[step + 1][];
        for (int o = 0; o <= step; o++)
        {
            rows[o] = new double[Math.Max(0, (values.Length - o + step - 1) / step)];
            for (int i = 0; i < rows[o].Length; i++)
            {
                rows[o][i] = values[o + (i * step)];
            }
        }

        return rows;
    }

    /// Right wing of the windowed sinc at 64·512 + 1 points: rolloff·sinc(rolloff·j/512) times the right half of a
    /// symmetric Kaiser window of 2·64·512 + 1 points.
    private static double[] BuildWing()
    {
        int n = ZeroCrossings * TableSize;
        var wing = new double[n + 1];
        double i0Beta = MathUtils.I0(Beta);
        for (int j = 0; j <= n; j++)
        {
            double ratio = j / (double)n;
            double taper = MathUtils.I0(Beta * Math.Sqrt(Math.Max(0, 1 - (ratio * ratio)))) / i0Beta;
            wing[j] = taper * Rolloff * MathUtils.Sinc(Rolloff * (j / (double)TableSize));
        }

        return wing;
    }
}
