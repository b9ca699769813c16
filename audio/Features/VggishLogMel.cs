using NWaves.Transforms;

namespace Custom.Audio.Features;

/// <summary>
/// VGGish input examples from 16 kHz mono samples, computed in double as the public reference (mel_features.py,
/// vggish_input.py, vggish_params.py) does: 400-sample (25 ms) periodic-Hann frames every 160 samples (10 ms),
/// |rfft| of length 512, 64 HTK-mel triangles from 125 to 7500 Hz, ln(mel + 0.01), then examples of 96 frames every
/// 96 frames. Incomplete frames and examples are dropped, never padded.
/// Not thread-safe (one FFT and its buffers per instance); <see cref="Compute"/> makes a fresh one per call.
/// </summary>
internal sealed class VggishLogMel
{
    public const int SampleRate = 16_000;
    public const int WindowLength = 400;
    public const int HopLength = 160;
    public const int FftLength = 512;
    public const int Bins = (FftLength / 2) + 1;
    public const int MelBands = 64;
    public const int ExampleFrames = 96;
    public const int ExampleSize = ExampleFrames * MelBands;
    public const double LogOffset = 0.01;

    /// Samples one example needs: 96 frames of 400 samples every 160 = 15,600 (0.975 s).
    public const int MinSamples = WindowLength + ((ExampleFrames - 1) * HopLength);

    private static readonly double[] Window = PeriodicHann(WindowLength);
    private static readonly MelMatrix Mel = MelMatrix.Create(MelBands, Bins, SampleRate, 125.0, 7500.0);

    private readonly RealFft64 _fft = new(FftLength);
    private readonly double[] _frame = new double[FftLength];
    private readonly double[] _real = new double[FftLength];
    private readonly double[] _imaginary = new double[FftLength];
    private readonly double[] _magnitude = new double[Bins];

    /// <summary>Complete examples that <paramref name="sampleCount"/> samples give.</summary>
    public static int ExampleCount(long sampleCount)
    {
        if (sampleCount < WindowLength)
        {
            return 0;
        }

        long frames = 1 + ((sampleCount - WindowLength) / HopLength);
        return frames < ExampleFrames ? 0 : (int)(1 + ((frames - ExampleFrames) / ExampleFrames));
    }

    /// <summary>The examples of <paramref name="samples"/> as float32 [n, 96, 64], row-major.</summary>
    public static float[] Compute(ReadOnlySpan<double> samples) => new VggishLogMel().Examples(samples);

    public float[] Examples(ReadOnlySpan<double> samples)
    {
        int examples = ExampleCount(samples.Length);
        var output = new float[examples * ExampleSize];
        int frames = examples * ExampleFrames;
        for (int f = 0; f < frames; f++)
        {
            var source = samples.Slice(f * HopLength, WindowLength);
            for (int i = 0; i < WindowLength; i++)
            {
                _frame[i] = source[i] * Window[i];
            }

            _fft.Direct(_frame, _real, _imaginary);
            for (int k = 0; k < Bins; k++)
            {
                _magnitude[k] = Math.Sqrt((_real[k] * _real[k]) + (_imaginary[k] * _imaginary[k]));
            }

            var row = output.AsSpan(f * MelBands, MelBands);
            for (int b = 0; b < MelBands; b++)
            {
                row[b] = (float)Math.Log(Mel.Band(b, _magnitude) + LogOffset);
            }
        }

        return output;
    }

    /// 0.5 − 0.5·cos(2πn/N): one full period over N samples (the reference's periodic_hann).
    private static double[] PeriodicHann(int length)
    {
        var window = new double[length];
        for (int n = 0; n < length; n++)
        {
            window[n] = 0.5 - (0.5 * Math.Cos(2 * Math.PI / length * n));
        }

        return window;
    }
}
