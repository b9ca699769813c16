namespace Custom.Audio.Decoding;

/// Mono samples in [-1, 1) at their own sample rate.
internal sealed record DecodedAudio(double[] Samples, int SampleRate)
{
    public double DurationSeconds => Samples.Length / (double)SampleRate;
}
