using System.Buffers.Binary;

namespace Custom.Data.TfRecords;

/// TFRecord framing: uint64 length, masked CRC32C of the length, the data, masked CRC32C of the data
/// (all little-endian). The mask keeps CRCs of data that itself contains CRCs from colliding.
internal static class TfRecordFormat
{
    public const int HeaderSize = 12;
    public const int FooterSize = 4;
    private const uint MaskDelta = 0xa282ead8u;

    public static uint Mask(uint crc) => ((crc >> 15) | (crc << 17)) + MaskDelta;

    public static uint MaskedCrc32C(ReadOnlySpan<byte> data) => Mask(Crc32C.Hash(data));

    public static ulong ReadLength(ReadOnlySpan<byte> header) => BinaryPrimitives.ReadUInt64LittleEndian(header);

    public static uint ReadLengthCrc(ReadOnlySpan<byte> header) => BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);

    public static bool LengthCrcMatches(ReadOnlySpan<byte> header) => MaskedLengthCrc(header) == ReadLengthCrc(header);

    /// The length field is always 8 bytes: one CRC32C instruction where the CPU has it, the library elsewhere.
    private static uint MaskedLengthCrc(ReadOnlySpan<byte> header) =>
        System.Runtime.Intrinsics.X86.Sse42.X64.IsSupported || System.Runtime.Intrinsics.Arm.Crc32.Arm64.IsSupported
            ? Mask(~System.Numerics.BitOperations.Crc32C(uint.MaxValue, BinaryPrimitives.ReadUInt64LittleEndian(header)))
            : MaskedCrc32C(header[..8]);

    public static void WriteHeader(Span<byte> header, ulong length)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(header, length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], MaskedCrc32C(header[..8]));
    }
}
