using System.Buffers.Binary;
using System.Collections.Concurrent;
using Custom.Serve.Audio;

namespace Custom.Tests.Serve;

/// An audio front end for tests, standing in for VGGish: reads the WAV header it is sent, records its format, and
/// returns one window per started 10 seconds with frames derived from the window's loudness. Refuses anything that
/// is not RIFF/WAVE PCM.
internal sealed class StandInAudioFrontEnd : IAudioFrontEnd
{
    public ConcurrentQueue<WavFormat> Received { get; } = new();

    public IReadOnlyList<EmbeddedWindow> Embed(Stream audio, string? fileName, CancellationToken cancellationToken)
    {
        using var copy = new MemoryStream();
        audio.CopyTo(copy);
        var wav = WavFormat.Read(copy.ToArray()) ?? throw new UnsupportedAudioException("not a PCM WAV file");
        Received.Enqueue(wav);
        double seconds = (double)wav.Samples / wav.SampleRate;
        var windows = new List<EmbeddedWindow>();
        for (double start = 0; start < seconds; start += 10)
        {
            double end = Math.Min(seconds, start + 10);
            int frames = Math.Clamp((int)Math.Ceiling(end - start), 1, 10);
            var bytes = new byte[frames * 128];
            Array.Fill(bytes, (byte)(windows.Count * 37 % 256));
            windows.Add(new EmbeddedWindow(start, end, bytes, frames));
        }

        return windows;
    }
}

/// The format fields of a PCM WAV file and its number of sample frames.
internal sealed record WavFormat(int Format, int Channels, int SampleRate, int BitsPerSample, long Samples, string? FileName = null)
{
    public static WavFormat? Read(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 12 || !bytes[..4].SequenceEqual("RIFF"u8) || !bytes[8..12].SequenceEqual("WAVE"u8))
        {
            return null;
        }

        WavFormat? format = null;
        for (int at = 12; at + 8 <= bytes.Length;)
        {
            var id = bytes.Slice(at, 4);
            int size = BinaryPrimitives.ReadInt32LittleEndian(bytes[(at + 4)..]);
            var body = bytes.Slice(at + 8, Math.Min(size, bytes.Length - at - 8));
            if (id.SequenceEqual("fmt "u8))
            {
                format = new WavFormat(BinaryPrimitives.ReadUInt16LittleEndian(body), BinaryPrimitives.ReadUInt16LittleEndian(body[2..]),
                    BinaryPrimitives.ReadInt32LittleEndian(body[4..]), BinaryPrimitives.ReadUInt16LittleEndian(body[14..]), 0);
            }
            else if (id.SequenceEqual("data"u8) && format is { Format: 1 })
            {
                return format with { Samples = body.Length / (format.Channels * format.BitsPerSample / 8) };
            }

            at += 8 + size + (size & 1);
        }

        return null;
    }
}
