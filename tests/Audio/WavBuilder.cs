using System.Buffers.Binary;
using System.Text;

namespace Custom.Tests.Audio;

/// WAV files built byte by byte, so tests control every header field (including wrong ones).
public static class WavBuilder
{
    public enum Encoding
    {
        Pcm8,
        Pcm16,
        Pcm24,
        Pcm32,
        Float32,
        Float64,
    }

    /// Interleaved <paramref name="frames"/> (one array per channel) in [-1, 1].
    public static byte[] Build(double[][] channels, int rate, Encoding encoding, bool extensible = false, long? declaredDataBytes = null)
    {
        int bits = encoding switch { Encoding.Pcm8 => 8, Encoding.Pcm16 => 16, Encoding.Pcm24 => 24, Encoding.Pcm32 or Encoding.Float32 => 32, _ => 64 };
        bool isFloat = encoding is Encoding.Float32 or Encoding.Float64;
        int blockAlign = channels.Length * bits / 8;
        int frames = channels[0].Length;
        var data = new byte[frames * blockAlign];
        for (int f = 0; f < frames; f++)
        {
            for (int c = 0; c < channels.Length; c++)
            {
                var span = data.AsSpan((f * blockAlign) + (c * bits / 8));
                double v = channels[c][f];
                switch (encoding)
                {
                    case Encoding.Pcm8: span[0] = (byte)Math.Clamp(Math.Round(v * 128) + 128, 0, 255); break;
                    case Encoding.Pcm16: BinaryPrimitives.WriteInt16LittleEndian(span, (short)Math.Clamp(Math.Round(v * 32768), -32768, 32767)); break;
                    case Encoding.Pcm24:
                        int s24 = (int)Math.Clamp(Math.Round(v * 8388608), -8388608, 8388607);
                        span[0] = (byte)s24; span[1] = (byte)(s24 >> 8); span[2] = (byte)(s24 >> 16);
                        break;
                    case Encoding.Pcm32: BinaryPrimitives.WriteInt32LittleEndian(span, (int)Math.Clamp(Math.Round(v * 2147483648.0), int.MinValue, int.MaxValue)); break;
                    case Encoding.Float32: BinaryPrimitives.WriteSingleLittleEndian(span, (float)v); break;
                    default: BinaryPrimitives.WriteDoubleLittleEndian(span, v); break;
                }
            }
        }

        using var stream = new MemoryStream();
        using var w = new BinaryWriter(stream);
        int fmtSize = extensible ? 40 : isFloat ? 18 : 16;
        w.Write(System.Text.Encoding.ASCII.GetBytes("RIFF"));
        w.Write((uint)(4 + 8 + fmtSize + 8 + data.Length));
        w.Write(System.Text.Encoding.ASCII.GetBytes("WAVEfmt "));
        w.Write(fmtSize);
        w.Write((ushort)(extensible ? 0xFFFE : isFloat ? 3 : 1));
        w.Write((ushort)channels.Length);
        w.Write(rate);
        w.Write(rate * blockAlign);
        w.Write((ushort)blockAlign);
        w.Write((ushort)bits);
        if (extensible)
        {
            w.Write((ushort)22);
            w.Write((ushort)bits);
            w.Write(channels.Length == 1 ? 4u : 3u);
            // KSDATAFORMAT_SUBTYPE_PCM / _IEEE_FLOAT: {0000000X-0000-0010-8000-00aa00389b71}
            w.Write(new Guid(isFloat ? 3 : 1, 0, 0x10, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71).ToByteArray());
        }
        else if (isFloat)
        {
            w.Write((ushort)0);
        }

        w.Write(System.Text.Encoding.ASCII.GetBytes("data"));
        w.Write((uint)(declaredDataBytes ?? data.Length));
        w.Write(data);
        w.Flush();
        return stream.ToArray();
    }

    public static byte[] Mono16(double[] samples, int rate = 16_000) => Build([samples], rate, Encoding.Pcm16);
}
