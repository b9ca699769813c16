using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Custom.Data.AudioSet;

/// Recognizes, in one pass, an AudioSet SequenceExample laid out exactly as TensorFlow writes one: context then
/// feature_lists, each map entry as key then value, every list packed, every frame as one 128-byte bytes value.
/// That is every real record, and this pass reads it with plain offsets, no walker, no calls. Anything else
/// (another field order, unknown keys, unpacked lists, long varints, missing fields) returns false without
/// throwing, and <see cref="ClipParser"/> parses the record in general.
internal static class CanonicalClipParser
{
    private const int FrameHeaderSize = 9;
    private const int FrameRecordSize = FrameHeaderSize + AudioSetClip.FrameSize;

    // The 9 bytes before each frame: FeatureList.feature (field 1, 134 bytes) → Feature.bytes_list (field 1,
    // 131 bytes) → BytesList.value (field 1, 128 bytes); the first 8 read little-endian, then the last.
    private const ulong FrameHeaderFirst8 = 0x800A_0183_0A01_860A;
    private const byte FrameHeaderLast = 0x01;

    // Feature oneof members (field number, wire type 2) and the single-field messages inside them.
    private const byte BytesListTag = 0x0A;
    private const byte FloatListTag = 0x12;
    private const byte Int64ListTag = 0x1A;
    private const byte ValueTag = 0x0A;

    /// Fills <paramref name="fields"/> (already reset) and returns true when the record is a complete, valid clip in
    /// the canonical layout; otherwise returns false, leaving the fields in an unspecified state.
    public static bool TryParse(ReadOnlySpan<byte> record, ClipFields fields)
    {
        int at = 0;
        if (!TryField(record, ref at, record.Length, 0x0A, out int contextEnd) || !TryContext(record, at, contextEnd, fields))
        {
            return false;
        }

        at = contextEnd;
        if (!TryField(record, ref at, record.Length, 0x12, out int listsEnd) || listsEnd != record.Length || !TryFeatureLists(record, at, listsEnd, fields))
        {
            return false;
        }

        return fields.VideoIdOffset >= 0 && fields.HasStart && fields.HasEnd && fields.HasLabels && fields.FrameCount > 0;
    }

    /// Reads the tag byte <paramref name="tag"/> and a length of one or two varint bytes at <paramref name="at"/>:
    /// on success <paramref name="at"/> is the payload's start and <paramref name="end"/> its end, within limit.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryField(ReadOnlySpan<byte> r, ref int at, int limit, byte tag, out int end)
    {
        end = 0;
        int p = at;
        if (limit - p < 2 || r[p] != tag)
        {
            return false;
        }

        int length = r[p + 1];
        p += 2;
        if (length >= 0x80)
        {
            if (p >= limit || r[p] >= 0x80)
            {
                return false;
            }

            length = (length & 0x7F) | (r[p] << 7);
            p++;
        }

        if (length > limit - p)
        {
            return false;
        }

        at = p;
        end = p + length;
        return true;
    }

    /// Features.feature map entries: { key = 1; value = 2 }, in that order, nothing else.
    private static bool TryContext(ReadOnlySpan<byte> r, int at, int end, ClipFields fields)
    {
        while (at < end)
        {
            if (!TryField(r, ref at, end, 0x0A, out int entryEnd) || !TryField(r, ref at, entryEnd, 0x0A, out int keyEnd))
            {
                return false;
            }

            var key = r[at..keyEnd];
            at = keyEnd;
            if (!TryField(r, ref at, entryEnd, 0x12, out int valueEnd) || valueEnd != entryEnd || !TryContextFeature(r, key, at, entryEnd, fields))
            {
                return false;
            }

            at = entryEnd;
        }

        return true;
    }

    private static bool TryContextFeature(ReadOnlySpan<byte> r, ReadOnlySpan<byte> key, int at, int end, ClipFields fields)
    {
        switch (key.Length)
        {
            case 8 when Is(key, "video_id"u8):
                if (!TryField(r, ref at, end, BytesListTag, out int listEnd) || listEnd != end || !TryField(r, ref at, end, ValueTag, out int valueEnd) || valueEnd != end)
                {
                    return false;
                }

                fields.VideoIdOffset = at;
                fields.VideoIdLength = end - at;
                return true;
            case 18 when Is(key, "start_time_seconds"u8):
                fields.HasStart = TrySingleFloat(r, at, end, out float start);
                fields.StartTimeSeconds = start;
                return fields.HasStart;
            case 16 when Is(key, "end_time_seconds"u8):
                fields.HasEnd = TrySingleFloat(r, at, end, out float finish);
                fields.EndTimeSeconds = finish;
                return fields.HasEnd;
            case 6 when Is(key, "labels"u8):
                return TryLabels(r, at, end, fields);
            default:
                return false;
        }
    }

    /// float_list { value: [one packed float] }: 12 06 0A 04, then the float.
    private static bool TrySingleFloat(ReadOnlySpan<byte> r, int at, int end, out float value)
    {
        value = float.NaN;
        if (end - at != 8 || BinaryPrimitives.ReadUInt32LittleEndian(r[at..]) != 0x040A_0612)
        {
            return false;
        }

        value = BinaryPrimitives.ReadSingleLittleEndian(r[(at + 4)..]);
        return true;
    }

    /// int64_list { value: [packed varints] }, each label index below 2^14 (two varint bytes).
    private static bool TryLabels(ReadOnlySpan<byte> r, int at, int end, ClipFields fields)
    {
        if (!TryField(r, ref at, end, Int64ListTag, out int listEnd) || listEnd != end)
        {
            return false;
        }

        fields.ClearLabels();
        fields.HasLabels = true;
        if (at == end)
        {
            return true; // an empty list
        }

        if (!TryField(r, ref at, end, ValueTag, out int packedEnd) || packedEnd != end)
        {
            return false;
        }

        while (at < end)
        {
            int label = r[at++];
            if (label >= 0x80)
            {
                if (at >= end || r[at] >= 0x80)
                {
                    return false;
                }

                label = (label & 0x7F) | (r[at++] << 7);
            }

            fields.AddLabel(label);
        }

        return true;
    }

    /// FeatureLists.feature_list with the single entry "audio_embedding", its frames back to back.
    private static bool TryFeatureLists(ReadOnlySpan<byte> r, int at, int end, ClipFields fields)
    {
        while (at < end)
        {
            if (!TryField(r, ref at, end, 0x0A, out int entryEnd) || !TryField(r, ref at, entryEnd, 0x0A, out int keyEnd)
                || keyEnd - at != 15 || !Is(r[at..keyEnd], "audio_embedding"u8))
            {
                return false;
            }

            at = keyEnd;
            if (!TryField(r, ref at, entryEnd, 0x12, out int valueEnd) || valueEnd != entryEnd || (entryEnd - at) % FrameRecordSize != 0)
            {
                return false;
            }

            fields.HasEmbedding = true;
            fields.ClearFrames();
            for (; at < entryEnd; at += FrameRecordSize)
            {
                if (BinaryPrimitives.ReadUInt64LittleEndian(r[at..]) != FrameHeaderFirst8 || r[at + 8] != FrameHeaderLast)
                {
                    return false;
                }

                fields.AddFrame(at + FrameHeaderSize);
            }
        }

        return true;
    }

    /// Compares a key of 6 to 24 bytes with a same-length name as overlapping 4- or 8-byte words: no call, no loop.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Is(ReadOnlySpan<byte> key, ReadOnlySpan<byte> name)
    {
        int n = name.Length;
        if (n < 8)
        {
            return BinaryPrimitives.ReadUInt32LittleEndian(key) == BinaryPrimitives.ReadUInt32LittleEndian(name)
                && BinaryPrimitives.ReadUInt32LittleEndian(key[(n - 4)..]) == BinaryPrimitives.ReadUInt32LittleEndian(name[(n - 4)..]);
        }

        int middle = (n - 8) / 2;
        return BinaryPrimitives.ReadUInt64LittleEndian(key) == BinaryPrimitives.ReadUInt64LittleEndian(name)
            && BinaryPrimitives.ReadUInt64LittleEndian(key[middle..]) == BinaryPrimitives.ReadUInt64LittleEndian(name[middle..])
            && BinaryPrimitives.ReadUInt64LittleEndian(key[(n - 8)..]) == BinaryPrimitives.ReadUInt64LittleEndian(name[(n - 8)..]);
    }
}
