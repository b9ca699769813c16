using NAudio.Wave;

namespace Custom.Audio.Decoding;

/// WAV through NAudio.Core: PCM 8/16/24/32-bit and IEEE float 32/64-bit, plain or extensible headers, any channel
/// count up to the limit (averaged to mono in double, as the reference's np.mean). NAudio hands samples over as
/// float32, which is exact for 8-, 16- and 24-bit PCM; 16-bit PCM therefore gives exactly the reference's
/// int16 / 32768.
internal static class WavDecoder
{
    private const int FramesPerRead = 8192;

    public static bool LooksLikeWav(ReadOnlySpan<byte> head) =>
        head.Length >= 12
        && (head[..4].SequenceEqual("RIFF"u8) || head[..4].SequenceEqual("RF64"u8))
        && head[8..12].SequenceEqual("WAVE"u8);

    public static DecodedAudio Decode(Stream stream, string name)
    {
        WaveFileReader reader;
        try
        {
            reader = new WaveFileReader(stream);
        }
        catch (Exception e) when (IsFormatProblem(e))
        {
            throw new AudioFormatException($"{name}: not a readable WAV file ({e.Message.TrimEnd('.')})", e);
        }

        using (reader)
        {
            var format = reader.WaveFormat;
            Check(format, name);
            long available = stream.Length - stream.Position;
            long declared = Math.Max(reader.Length, DeclaredDataSize(stream));
            if (declared > available)
            {
                throw new AudioFormatException(
                    $"{name}: the WAV header declares {declared:N0} bytes of audio but only {available:N0} follow (truncated file or wrong size field)");
            }

            long declaredFrames = reader.Length / format.BlockAlign;
            double limit = AudioLimits.MaxDurationAt(format.SampleRate);
            if (declaredFrames > (long)(limit * format.SampleRate))
            {
                string at = limit < AudioLimits.MaxDurationSeconds ? $" at {format.SampleRate} Hz" : "";
                throw new AudioFormatException($"{name}: the recording is longer than the limit of {limit:0.#} s{at}");
            }

            ISampleProvider provider;
            try
            {
                provider = reader.ToSampleProvider();
            }
            catch (Exception e) when (IsFormatProblem(e))
            {
                throw new AudioFormatException($"{name}: unsupported WAV encoding {Describe(format)}", e);
            }

            return new DecodedAudio(ReadMono(provider, format.Channels, declaredFrames, name), format.SampleRate);
        }
    }

    /// The size field of the RIFF "data" chunk that NAudio positioned the stream after (NAudio clamps what it reports
    /// to the bytes present, which would hide a truncated file); 0 when there is none to read (RF64).
    private static long DeclaredDataSize(Stream stream)
    {
        long dataStart = stream.Position;
        if (dataStart < 8)
        {
            return 0;
        }

        Span<byte> header = stackalloc byte[8];
        stream.Position = dataStart - 8;
        int read = stream.ReadAtLeast(header, 8, throwOnEndOfStream: false);
        stream.Position = dataStart;
        return read == 8 && header[..4].SequenceEqual("data"u8) ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(header[4..]) : 0;
    }

    private static double[] ReadMono(ISampleProvider provider, int channels, long declaredFrames, string name)
    {
        var mono = new double[declaredFrames];
        var buffer = new float[FramesPerRead * channels];
        long frames = 0;
        int n;
        try
        {
            while (frames < declaredFrames && (n = provider.Read(buffer.AsSpan())) > 0)
            {
                int whole = (int)Math.Min(n / channels, declaredFrames - frames);
                for (int f = 0; f < whole; f++)
                {
                    double sum = 0;
                    for (int c = 0; c < channels; c++)
                    {
                        sum += buffer[(f * channels) + c];
                    }

                    mono[frames + f] = channels == 1 ? sum : sum / channels;
                }

                frames += whole;
            }
        }
        catch (Exception e) when (IsFormatProblem(e))
        {
            throw new AudioFormatException($"{name}: damaged WAV audio data ({e.Message.TrimEnd('.')})", e);
        }

        if (frames < declaredFrames)
        {
            throw new AudioFormatException($"{name}: the WAV header declares {declaredFrames:N0} sample frames but the file holds {frames:N0} (truncated file?)");
        }

        return mono;
    }

    private static void Check(WaveFormat format, string name)
    {
        if (format.Channels < 1 || format.Channels > AudioLimits.MaxChannels)
        {
            throw new AudioFormatException($"{name}: {format.Channels} channels; 1 to {AudioLimits.MaxChannels} are supported");
        }

        if (format.SampleRate < AudioLimits.MinSampleRate || format.SampleRate > AudioLimits.MaxSampleRate)
        {
            throw new AudioFormatException($"{name}: sample rate {format.SampleRate} Hz; {AudioLimits.MinSampleRate} to {AudioLimits.MaxSampleRate} Hz are supported");
        }

        if (format.BlockAlign != format.Channels * format.BitsPerSample / 8 || format.BlockAlign == 0)
        {
            throw new AudioFormatException($"{name}: inconsistent WAV header (block align {format.BlockAlign} for {format.Channels} channels of {format.BitsPerSample} bits)");
        }
    }

    private static string Describe(WaveFormat format) => $"{format.Encoding}, {format.BitsPerSample}-bit";

    private static bool IsFormatProblem(Exception e) =>
        e is FormatException or InvalidDataException or EndOfStreamException or ArgumentException or NotSupportedException
            or InvalidOperationException or OverflowException or IOException;
}
