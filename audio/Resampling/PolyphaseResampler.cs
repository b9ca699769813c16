using NWaves.Utils;

namespace Custom.Audio.Resampling;

/// <summary>
/// Rational band-limited resampling the way scipy.signal.resample_poly does it with its default window: the rates
/// reduced to up/down, a linear-phase low-pass FIR of 2·10·max(up, down) + 1 taps, cutoff 1/max(up, down) of Nyquist,
/// Kaiser window β = 5, normalised to unit DC gain and multiplied by up; output sample n is the filter centred on
/// input position n·down/up (no delay), ⌈n_in·up/down⌉ samples, zeros beyond both ends.
/// Only the taps that meet a real input sample are evaluated (polyphase), in double.
/// </summary>
internal sealed class PolyphaseResampler
{
    private const double KaiserBeta = 5.0;
    private const int HalfLengthPerRate = 10;

    private readonly int _up;
    private readonly int _down;
    private readonly int _halfLength;
    private readonly double[] _taps;

    public PolyphaseResampler(int fromRate, int toRate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fromRate, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(toRate, 1);
        int gcd = MathUtils.Gcd(fromRate, toRate);
        _up = toRate / gcd;
        _down = fromRate / gcd;
        int maxRate = Math.Max(_up, _down);
        _halfLength = HalfLengthPerRate * maxRate;
        _taps = _up == _down ? [1.0] : Design(2 * _halfLength + 1, 1.0 / maxRate, _up);
    }

    /// <summary>Resamples <paramref name="samples"/> from <paramref name="fromRate"/> to <paramref name="toRate"/>.</summary>
    public static double[] Resample(double[] samples, int fromRate, int toRate) =>
        fromRate == toRate ? samples : new PolyphaseResampler(fromRate, toRate).Apply(samples);

    public double[] Apply(ReadOnlySpan<double> x)
    {
        if (_up == _down)
        {
            return x.ToArray();
        }

        long nIn = x.Length;
        long product = nIn * _up;
        var y = new double[(product / _down) + (product % _down == 0 ? 0 : 1)];
        for (long n = 0; n < y.Length; n++)
        {
            // Output n sits at position n·down on the up-sampled grid; input j sits at j·up.
            long centre = n * _down;
            long first = Math.Max(0, CeilDiv(centre - _halfLength, _up));
            long last = Math.Min(nIn - 1, FloorDiv(centre + _halfLength, _up));
            double sum = 0;
            for (long j = first; j <= last; j++)
            {
                sum += x[(int)j] * _taps[_halfLength + centre - (j * _up)];
            }

            y[n] = sum;
        }

        return y;
    }

    /// scipy.signal.firwin(numtaps, cutoff, window=('kaiser', 5.0)) (cutoff relative to Nyquist), times <paramref name="gain"/>.
    private static double[] Design(int numTaps, double cutoff, double gain)
    {
        var h = new double[numTaps];
        double alpha = 0.5 * (numTaps - 1);
        double i0Beta = MathUtils.I0(KaiserBeta);
        double sum = 0;
        for (int i = 0; i < numTaps; i++)
        {
            double m = i - alpha;
            double ratio = m / alpha;
            double window = MathUtils.I0(KaiserBeta * Math.Sqrt(Math.Max(0, 1 - (ratio * ratio)))) / i0Beta;
            h[i] = cutoff * MathUtils.Sinc(cutoff * m) * window;
            sum += h[i];
        }

        for (int i = 0; i < numTaps; i++)
        {
            h[i] = h[i] / sum * gain;
        }

        return h;
    }

    private static long FloorDiv(long a, long b) => a >= 0 ? a / b : -((-a + b - 1) / b);

    private static long CeilDiv(long a, long b) => -FloorDiv(-a, b);
}
