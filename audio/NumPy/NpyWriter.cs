using System.Buffers.Binary;
using System.Text;

namespace Custom.Audio.NumPy;

/// <summary>Writes NumPy .npy files (format 1.0): little-endian float32, C order.</summary>
internal static class NpyWriter
{
    public static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    public static void WriteFloat32(Stream stream, ReadOnlySpan<float> values, params int[] shape)
    {
        long count = shape.Aggregate(1L, (a, d) => a * d);
        if (count != values.Length)
        {
            throw new ArgumentException($"shape ({string.Join(", ", shape)}) holds {count} values, not {values.Length}");
        }

        string dims = shape.Length == 1 ? $"{shape[0]}," : string.Join(", ", shape);
        string header = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({dims}), }}";
        // Magic (6) + version (2) + length (2) + header + padding + '\n' is a multiple of 64.
        int unpadded = Magic.Length + 4 + header.Length + 1;
        header = header.PadRight(header.Length + ((64 - (unpadded % 64)) % 64)) + "\n";
        stream.Write(Magic);
        stream.Write([1, 0]);
        Span<byte> length = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(length, checked((ushort)header.Length));
        stream.Write(length);
        stream.Write(Encoding.ASCII.GetBytes(header));
        var buffer = new byte[4 * 4096];
        for (int start = 0; start < values.Length; start += 4096)
        {
            var chunk = values.Slice(start, Math.Min(4096, values.Length - start));
            for (int i = 0; i < chunk.Length; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(buffer.AsSpan(4 * i), chunk[i]);
            }

            stream.Write(buffer, 0, 4 * chunk.Length);
        }
    }
}
