namespace Custom.Audio;

/// <summary>The bounds every input is held to, so a hostile or mistaken file costs bounded memory and time.</summary>
public static class AudioLimits
{
    /// <summary>Longest recording accepted, in seconds (ten minutes).</summary>
    public const double MaxDurationSeconds = 600;

    /// <summary>Largest input accepted, in bytes (512 MiB: ten minutes of 48 kHz stereo 64-bit float WAV fits).</summary>
    public const long MaxInputBytes = 512L * 1024 * 1024;

    /// <summary>
    /// Most sample frames accepted at the source rate (600 s at 48 kHz): above 48 kHz the duration limit shrinks in
    /// proportion, so the decoded recording never needs more than 230 MB.
    /// </summary>
    public const long MaxSourceFrames = 600L * 48_000;

    /// <summary>Most channels accepted.</summary>
    public const int MaxChannels = 32;

    /// <summary>Lowest sample rate accepted, in Hz.</summary>
    public const int MinSampleRate = 1_000;

    /// <summary>Highest sample rate accepted, in Hz.</summary>
    public const int MaxSampleRate = 384_000;

    /// <summary>The longest recording accepted at <paramref name="sampleRate"/>, in seconds.</summary>
    public static double MaxDurationAt(int sampleRate) => Math.Min(MaxDurationSeconds, MaxSourceFrames / (double)sampleRate);
}
