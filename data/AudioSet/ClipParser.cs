namespace Custom.Data.AudioSet;

/// A span-based reader of AudioSet SequenceExamples: it walks the protobuf wire format directly and records
/// positions into <see cref="ClipFields"/> instead of building message objects, which makes parsing nearly free next
/// to I/O. Records in TensorFlow's exact layout (all real ones) take <see cref="CanonicalClipParser"/>'s single pass;
/// the walk below handles any other valid encoding. Tests check both against the Google.Protobuf generated parser
/// on every real record.
/// Where a record repeats a oneof or map key (which TensorFlow never writes) the last occurrence wins.
internal static class ClipParser
{
    public const string EmbeddingKey = "audio_embedding";

    private const int BytesListKind = 1;
    private const int FloatListKind = 2;
    private const int Int64ListKind = 3;

    /// How every encoder writes one frame: FeatureList.feature (field 1, 134 bytes) → Feature.bytes_list (field 1,
    /// 131 bytes) → BytesList.value (field 1, 128 bytes). Matching these 9 bytes at once replaces three nested walks;
    /// anything else takes the general path below.
    private static ReadOnlySpan<byte> CanonicalFramePrefix => [0x0A, 0x86, 0x01, 0x0A, 0x83, 0x01, 0x0A, 0x80, 0x01];

    /// Returns null when the record is a valid clip, else the problem in words. Every command reads clips through
    /// here, so what one accepts the others accept too. A valid clip has finite start and end times (a NaN or
    /// infinite time can be neither compared nor written as JSON) and at least one frame; frames beyond the tenth
    /// are kept in the clip, and every model ignores them (see Custom.Inference.PackageContract.MaxFrames).
    public static string? TryParse(ReadOnlySpan<byte> record, ClipFields fields)
    {
        fields.Reset();
        return CanonicalClipParser.TryParse(record, fields) ? CheckTimes(fields) : TryParseGeneral(record, fields);
    }

    /// The general walk, for records not in TensorFlow's exact layout (and for tests, on every record).
    internal static string? TryParseGeneral(ReadOnlySpan<byte> record, ClipFields fields)
    {
        fields.Reset();
        try
        {
            return ParseRecord(record, fields) ?? Validate(fields);
        }
        catch (MalformedProtobufException e)
        {
            return "malformed SequenceExample: " + e.Message;
        }
    }

    // Kept apart from the try/catch above so the JIT can keep the walkers' state in registers.
    private static string? ParseRecord(ReadOnlySpan<byte> record, ClipFields fields)
    {
        var reader = new WireReader(record, 0);
        while (reader.TryReadTag(out int field, out int wireType))
        {
            if (field is 1 or 2 && wireType == WireReader.LengthDelimited)
            {
                var map = reader.ReadLengthDelimited(out int origin);
                string? error = ParseMap(map, origin, fields, isContext: field == 1);
                if (error is not null)
                {
                    return error;
                }
            }
            else
            {
                reader.Skip(wireType);
            }
        }

        return null;
    }

    private static string? Validate(ClipFields fields)
    {
        if (fields.VideoIdOffset < 0)
        {
            return "missing context feature 'video_id'";
        }

        if (!fields.HasStart)
        {
            return "missing context feature 'start_time_seconds'";
        }

        if (!fields.HasEnd)
        {
            return "missing context feature 'end_time_seconds'";
        }

        if (!fields.HasLabels)
        {
            return "missing context feature 'labels'";
        }

        if (!fields.HasEmbedding)
        {
            return $"missing feature list '{EmbeddingKey}'";
        }

        return fields.FrameCount == 0 ? $"feature list '{EmbeddingKey}' has no frames" : CheckTimes(fields);
    }

    private static string? CheckTimes(ClipFields fields) =>
        !float.IsFinite(fields.StartTimeSeconds) ? $"context feature 'start_time_seconds' is {Words(fields.StartTimeSeconds)}, not a finite time"
        : !float.IsFinite(fields.EndTimeSeconds) ? $"context feature 'end_time_seconds' is {Words(fields.EndTimeSeconds)}, not a finite time"
        : null;

    private static string Words(float value) => float.IsNaN(value) ? "NaN" : value > 0 ? "+infinity" : "-infinity";

    /// Walks a Features (context) or FeatureLists map: repeated entries of { key = 1; value = 2 }.
    private static string? ParseMap(ReadOnlySpan<byte> map, int mapOrigin, ClipFields fields, bool isContext)
    {
        var reader = new WireReader(map, mapOrigin);
        while (reader.TryReadTag(out int field, out int wireType))
        {
            if (field != 1 || wireType != WireReader.LengthDelimited)
            {
                reader.Skip(wireType);
                continue;
            }

            var entryBytes = reader.ReadLengthDelimited(out int entryOrigin);
            if (!TrySplitCanonicalEntry(entryBytes, entryOrigin, out var key, out var value, out int valueOrigin))
            {
                ReadEntry(entryBytes, entryOrigin, out key, out value, out valueOrigin);
            }

            string? error = isContext ? ParseContextFeature(key, value, valueOrigin, fields) : ParseFeatureList(key, value, valueOrigin, fields);
            if (error is not null)
            {
                return error;
            }
        }

        return null;
    }

    /// The general map-entry walk: fields in any order, either one missing, unknown fields skipped.
    private static void ReadEntry(ReadOnlySpan<byte> entryBytes, int entryOrigin, out ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value, out int valueOrigin)
    {
        var entry = new WireReader(entryBytes, entryOrigin);
        key = default;
        value = default;
        valueOrigin = 0;
        while (entry.TryReadTag(out int entryField, out int entryWire))
        {
            if (entryField == 1 && entryWire == WireReader.LengthDelimited)
            {
                key = entry.ReadLengthDelimited();
            }
            else if (entryField == 2 && entryWire == WireReader.LengthDelimited)
            {
                value = entry.ReadLengthDelimited(out valueOrigin);
            }
            else
            {
                entry.Skip(entryWire);
            }
        }
    }

    /// Canonical encoders write an entry as key (tag 0x0A, one-byte length) then value (tag 0x12, length in one or two
    /// bytes) and nothing else. Recognizing that layout directly avoids a walker; anything else returns false.
    private static bool TrySplitCanonicalEntry(ReadOnlySpan<byte> entry, int origin, out ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value, out int valueOrigin)
    {
        key = value = default;
        valueOrigin = 0;
        if (entry.Length < 4 || entry[0] != 0x0A || entry[1] >= 0x80)
        {
            return false;
        }

        int keyLength = entry[1];
        int tagAt = 2 + keyLength;
        if (entry.Length < tagAt + 2 || entry[tagAt] != 0x12)
        {
            return false;
        }

        int valueLength = entry[tagAt + 1];
        int valueAt = tagAt + 2;
        if (valueLength >= 0x80)
        {
            if (entry.Length < tagAt + 3 || entry[tagAt + 2] >= 0x80)
            {
                return false;
            }

            valueLength = (valueLength & 0x7F) | (entry[tagAt + 2] << 7);
            valueAt++;
        }

        if (valueAt + valueLength != entry.Length)
        {
            return false;
        }

        key = entry.Slice(2, keyLength);
        value = entry[valueAt..];
        valueOrigin = origin + valueAt;
        return true;
    }

    private static string? ParseContextFeature(ReadOnlySpan<byte> key, ReadOnlySpan<byte> feature, int origin, ClipFields fields)
    {
        // Dispatch on length first: each key then needs one comparison, not up to four.
        if (key.Length == 8 && key.SequenceEqual("video_id"u8))
        {
            int kind = ReadFeature(feature, origin, out var list, out int listOrigin);
            if (kind != BytesListKind || !TrySingleBytes(list, listOrigin, out int offset, out int length))
            {
                return "context feature 'video_id' must be a bytes_list with one value";
            }

            fields.VideoIdOffset = offset;
            fields.VideoIdLength = length;
        }
        else if (key.Length == 18 && key.SequenceEqual("start_time_seconds"u8))
        {
            if (!TrySingleFloat(feature, origin, out float value))
            {
                return "context feature 'start_time_seconds' must be a float_list with one value";
            }

            fields.StartTimeSeconds = value;
            fields.HasStart = true;
        }
        else if (key.Length == 16 && key.SequenceEqual("end_time_seconds"u8))
        {
            if (!TrySingleFloat(feature, origin, out float value))
            {
                return "context feature 'end_time_seconds' must be a float_list with one value";
            }

            fields.EndTimeSeconds = value;
            fields.HasEnd = true;
        }
        else if (key.Length == 6 && key.SequenceEqual("labels"u8))
        {
            int kind = ReadFeature(feature, origin, out var list, out int listOrigin);
            if (kind != Int64ListKind)
            {
                return "context feature 'labels' must be an int64_list";
            }

            return ReadLabels(list, listOrigin, fields);
        }

        return null;
    }

    private static string? ParseFeatureList(ReadOnlySpan<byte> key, ReadOnlySpan<byte> featureList, int origin, ClipFields fields)
    {
        if (!key.SequenceEqual("audio_embedding"u8))
        {
            return null;
        }

        fields.HasEmbedding = true;
        fields.ClearFrames();
        var reader = new WireReader(featureList, origin);
        while (true)
        {
            if (reader.TrySkipPrefix(CanonicalFramePrefix, AudioSetClip.FrameSize))
            {
                fields.AddFrame(reader.Position - AudioSetClip.FrameSize);
                continue;
            }

            if (!reader.TryReadTag(out int field, out int wireType))
            {
                break;
            }

            if (field != 1 || wireType != WireReader.LengthDelimited)
            {
                reader.Skip(wireType);
                continue;
            }

            var feature = reader.ReadLengthDelimited(out int featureOrigin);
            int kind = ReadFeature(feature, featureOrigin, out var list, out int listOrigin);
            int frame = fields.FrameCount;
            if (kind != BytesListKind || !TrySingleBytes(list, listOrigin, out int offset, out int length))
            {
                return $"frame {frame} of '{EmbeddingKey}' must be a bytes_list with one value";
            }

            if (length != AudioSetClip.FrameSize)
            {
                return $"frame {frame} of '{EmbeddingKey}' is {length} bytes, expected {AudioSetClip.FrameSize}";
            }

            fields.AddFrame(offset);
        }

        return null;
    }

    /// Returns which oneof member a Feature holds (0 when none) and that member's payload.
    private static int ReadFeature(ReadOnlySpan<byte> feature, int origin, out ReadOnlySpan<byte> list, out int listOrigin)
    {
        if (TrySingleShortField(feature, origin, out int only, out list, out listOrigin) && only is >= BytesListKind and <= Int64ListKind)
        {
            return only;
        }

        var reader = new WireReader(feature, origin);
        int kind = 0;
        list = default;
        listOrigin = 0;
        while (reader.TryReadTag(out int field, out int wireType))
        {
            if (field is >= BytesListKind and <= Int64ListKind && wireType == WireReader.LengthDelimited)
            {
                kind = field;
                list = reader.ReadLengthDelimited(out listOrigin);
            }
            else
            {
                reader.Skip(wireType);
            }
        }

        return kind;
    }

    /// Recognizes a message that holds exactly one length-delimited field shorter than 128 bytes, as canonical encoders
    /// write a context Feature and its list: tag, one length byte, payload.
    private static bool TrySingleShortField(ReadOnlySpan<byte> message, int origin, out int field, out ReadOnlySpan<byte> payload, out int payloadOrigin)
    {
        if (message.Length >= 2 && message[0] < 0x80 && (message[0] & 7) == WireReader.LengthDelimited && message[1] == message.Length - 2)
        {
            field = message[0] >> 3;
            payload = message[2..];
            payloadOrigin = origin + 2;
            return field != 0;
        }

        field = 0;
        payload = default;
        payloadOrigin = 0;
        return false;
    }

    private static bool TrySingleBytes(ReadOnlySpan<byte> bytesList, int origin, out int offset, out int length)
    {
        if (TrySingleShortField(bytesList, origin, out int only, out var value, out offset) && only == 1)
        {
            length = value.Length;
            return true;
        }

        var reader = new WireReader(bytesList, origin);
        int count = 0;
        offset = length = 0;
        while (reader.TryReadTag(out int field, out int wireType))
        {
            if (field == 1 && wireType == WireReader.LengthDelimited)
            {
                length = reader.ReadLengthDelimited(out offset).Length;
                count++;
            }
            else
            {
                reader.Skip(wireType);
            }
        }

        return count == 1;
    }

    private static bool TrySingleFloat(ReadOnlySpan<byte> feature, int origin, out float value)
    {
        value = float.NaN;
        if (ReadFeature(feature, origin, out var list, out int listOrigin) != FloatListKind)
        {
            return false;
        }

        if (list.Length == 6 && list[0] == 0x0A && list[1] == 4)
        {
            value = System.Buffers.Binary.BinaryPrimitives.ReadSingleLittleEndian(list[2..]); // one packed float
            return true;
        }

        var reader = new WireReader(list, listOrigin);
        int count = 0;
        while (reader.TryReadTag(out int field, out int wireType))
        {
            if (field == 1 && wireType == WireReader.Fixed32)
            {
                value = reader.ReadFloat();
                count++;
            }
            else if (field == 1 && wireType == WireReader.LengthDelimited)
            {
                var packed = new WireReader(reader.ReadLengthDelimited(out int packedOrigin), packedOrigin);
                while (!packed.AtEnd)
                {
                    value = packed.ReadFloat();
                    count++;
                }
            }
            else
            {
                reader.Skip(wireType);
            }
        }

        return count == 1;
    }

    private static string? ReadLabels(ReadOnlySpan<byte> int64List, int origin, ClipFields fields)
    {
        fields.ClearLabels();
        fields.HasLabels = true;
        var reader = new WireReader(int64List, origin);
        while (reader.TryReadTag(out int field, out int wireType))
        {
            if (field == 1 && wireType == WireReader.Varint)
            {
                if (!TryAddLabel((long)reader.ReadVarint(), fields, out string? error))
                {
                    return error;
                }
            }
            else if (field == 1 && wireType == WireReader.LengthDelimited)
            {
                var packed = new WireReader(reader.ReadLengthDelimited(out int packedOrigin), packedOrigin);
                while (!packed.AtEnd)
                {
                    if (!TryAddLabel((long)packed.ReadVarint(), fields, out string? error))
                    {
                        return error;
                    }
                }
            }
            else
            {
                reader.Skip(wireType);
            }
        }

        return null;
    }

    private static bool TryAddLabel(long label, ClipFields fields, out string? error)
    {
        if (label is < 0 or > int.MaxValue)
        {
            error = $"context feature 'labels' holds {label}, not a class index";
            return false;
        }

        fields.AddLabel((int)label);
        error = null;
        return true;
    }
}
