namespace Custom.Audio.Features;

/// <summary>
/// The reference's spectrogram_to_mel_matrix in double: spectrogram bins at linspace(0, Nyquist, bins) on the HTK mel
/// scale 1127·ln(1 + f/700); band edges at linspace(mel(lower), mel(upper), bands + 2); band i is the triangle
/// max(0, min(rising, falling)) between edges i and i+2; the DC bin weighs 0 in every band. Each band keeps only its
/// non-zero span, so applying it costs a few multiplications per bin.
/// </summary>
internal sealed class MelMatrix
{
    private readonly double[][] _weights;
    private readonly int[] _first;

    private MelMatrix(double[][] weights, int[] first)
    {
        _weights = weights;
        _first = first;
    }

    public int Bands => _weights.Length;

    public static MelMatrix Create(int bands, int bins, int sampleRate, double lowerHertz, double upperHertz)
    {
        var binMel = Linspace(0.0, sampleRate / 2.0, bins).Select(HertzToMel).ToArray();
        var edges = Linspace(HertzToMel(lowerHertz), HertzToMel(upperHertz), bands + 2);
        var weights = new double[bands][];
        var first = new int[bands];
        for (int b = 0; b < bands; b++)
        {
            double lower = edges[b], centre = edges[b + 1], upper = edges[b + 2];
            var column = new double[bins];
            for (int k = 1; k < bins; k++)
            {
                double rising = (binMel[k] - lower) / (centre - lower);
                double falling = (upper - binMel[k]) / (upper - centre);
                column[k] = Math.Max(0.0, Math.Min(rising, falling));
            }

            int start = Array.FindIndex(column, w => w != 0);
            int end = Array.FindLastIndex(column, w => w != 0);
            first[b] = start < 0 ? 0 : start;
            weights[b] = start < 0 ? [] : column[start..(end + 1)];
        }

        return new MelMatrix(weights, first);
    }

    /// The full weight of bin <paramref name="bin"/> in band <paramref name="band"/>.
    public double Weight(int bin, int band)
    {
        int offset = bin - _first[band];
        return offset >= 0 && offset < _weights[band].Length ? _weights[band][offset] : 0.0;
    }

    /// Σ_k magnitude[k] · weight[k, band].
    public double Band(int band, ReadOnlySpan<double> magnitude)
    {
        var weights = _weights[band];
        var span = magnitude.Slice(_first[band], weights.Length);
        double sum = 0;
        for (int k = 0; k < weights.Length; k++)
        {
            sum += span[k] * weights[k];
        }

        return sum;
    }

    public static double HertzToMel(double hertz) => 1127.0 * Math.Log(1.0 + (hertz / 700.0));

    /// numpy.linspace: start + i·step, with the last value exactly <paramref name="stop"/>.
    private static double[] Linspace(double start, double stop, int count)
    {
        var values = new double[count];
        double step = (stop - start) / (count - 1);
        for (int i = 0; i < count; i++)
        {
            values[i] = start + (i * step);
        }

        values[count - 1] = stop;
        return values;
    }
}
