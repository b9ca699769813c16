using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Custom.Data.TfRecords;

/// CRC32C (Castagnoli) of record data. On x64 with SSE4.2 and PCLMULQDQ it runs three independent chains of the
/// `crc32` instruction over three equal lanes and joins them with a carry-less multiply: one chain is bound by the
/// instruction's latency (3 cycles per 8 bytes), three keep it busy every cycle. Elsewhere System.IO.Hashing.
internal static class Crc32C
{
    // Lanes of 4 KiB at most keep the shift table at 8 KB; below 4 words per lane the join costs more than it saves.
    private const int MaxLaneWords = 512;
    private const int MinLaneWords = 4;

    /// s_shift[j] = x^(64·j − 33) mod P, bit-reflected: what <see cref="Shift"/> multiplies by to move a CRC past
    /// j zero words. Lane joins use j and 2·j.
    private static readonly uint[] s_shift = BuildShiftTable();

    public static bool IsAccelerated => Sse42.X64.IsSupported && Pclmulqdq.IsSupported;

    /// The standard CRC32C (initial value and final XOR all ones), as System.IO.Hashing's Crc32ParameterSet.Crc32C.
    public static uint Hash(ReadOnlySpan<byte> data) =>
        IsAccelerated ? ~Update(uint.MaxValue, data) : Crc32.HashToUInt32(Crc32ParameterSet.Crc32C, data);

    /// Continues a raw CRC register (no pre- or post-inversion) over <paramref name="data"/>. Requires <see cref="IsAccelerated"/>.
    internal static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        ref byte start = ref MemoryMarshal.GetReference(data);
        nuint length = (nuint)data.Length;
        nuint at = 0;
        ulong state = crc;

        // Three lanes of `words` 8-byte words each; what does not fill three whole lanes goes through one chain below.
        while (length - at >= 3 * 8 * MinLaneWords)
        {
            nuint words = Math.Min((length - at) / 24, MaxLaneWords);
            nuint lane = words * 8;
            ref byte first = ref Unsafe.Add(ref start, at);
            ulong a = state, b = 0, c = 0;
            for (nuint i = 0; i < lane; i += 8)
            {
                a = Sse42.X64.Crc32(a, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref first, i)));
                b = Sse42.X64.Crc32(b, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref first, i + lane)));
                c = Sse42.X64.Crc32(c, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref first, i + 2 * lane)));
            }

            // CRC is linear: crc(A‖B‖C) = crc(A)·x^(2·|lane|) ⊕ crc(B)·x^(|lane|) ⊕ crc(C) (B and C started from 0).
            state = Shift(a, s_shift[(int)(2 * words)], b, s_shift[(int)words]) ^ c;
            at += 3 * lane;
        }

        for (; length - at >= 8; at += 8)
        {
            state = Sse42.X64.Crc32(state, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, at)));
        }

        uint tail = (uint)state;
        for (; at < length; at++)
        {
            tail = Sse42.Crc32(tail, Unsafe.Add(ref start, at));
        }

        return tail;
    }

    /// Returns (a·ka ⊕ b·kb)·x^33 mod P. With reflected operands the 64-bit carry-less product of two 32-bit values
    /// stands for their polynomial product times x, and `crc32` of a word from a zero register multiplies by x^32 and
    /// reduces: so k = x^(n−33) moves a CRC past n zero bits.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Shift(ulong a, uint ka, ulong b, uint kb)
    {
        var pa = Pclmulqdq.CarrylessMultiply(Vector128.CreateScalarUnsafe(a), Vector128.CreateScalarUnsafe((ulong)ka), 0x00);
        var pb = Pclmulqdq.CarrylessMultiply(Vector128.CreateScalarUnsafe(b), Vector128.CreateScalarUnsafe((ulong)kb), 0x00);
        return Sse42.X64.Crc32(0, (pa ^ pb).ToScalar());
    }

    private static uint[] BuildShiftTable()
    {
        var table = new uint[2 * MaxLaneWords + 1];
        if (!IsAccelerated)
        {
            return table;
        }

        // x^31 is bit 0 in the reflected form; each `crc32` of a zero word from a register multiplies it by x^64.
        uint power = 1;
        for (int j = 1; j < table.Length; j++)
        {
            table[j] = power;
            power = (uint)Sse42.X64.Crc32(power, 0UL);
        }

        return table;
    }
}
