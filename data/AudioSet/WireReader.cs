using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Custom.Data.AudioSet;

/// Protobuf wire-format walker over a span. It never allocates; malformed input raises
/// <see cref="MalformedProtobufException"/>, which the clip parser turns into a readable problem.
internal ref struct WireReader
{
    public const int Varint = 0;
    public const int Fixed64 = 1;
    public const int LengthDelimited = 2;
    public const int Fixed32 = 5;

    private readonly ReadOnlySpan<byte> _data;
    private readonly int _origin;
    private int _pos;

    public WireReader(ReadOnlySpan<byte> data, int origin)
    {
        _data = data;
        _origin = origin;
        _pos = 0;
    }

    public readonly bool AtEnd => _pos >= _data.Length;

    /// Offset of the next unread byte within the whole record.
    public readonly int Position => _origin + _pos;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadTag(out int field, out int wireType)
    {
        if (_pos >= _data.Length)
        {
            field = wireType = 0;
            return false;
        }

        ulong tag = ReadVarint();
        field = (int)(tag >> 3);
        wireType = (int)(tag & 7);
        if (field == 0 || tag >> 3 > int.MaxValue)
        {
            Malformed("invalid field number in tag", Position);
        }

        return true;
    }

    /// Skips <paramref name="prefix"/> and <paramref name="payload"/> more bytes when the input starts with the prefix
    /// and holds them all; otherwise reads nothing.
    public bool TrySkipPrefix(ReadOnlySpan<byte> prefix, int payload)
    {
        var rest = _data[_pos..];
        if (rest.Length < prefix.Length + payload || !rest.StartsWith(prefix))
        {
            return false;
        }

        _pos += prefix.Length + payload;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong ReadVarint()
    {
        if (_pos < _data.Length && _data[_pos] < 0x80)
        {
            return _data[_pos++]; // most tags and lengths fit in one byte
        }

        return ReadLongVarint();
    }

    private ulong ReadLongVarint()
    {

        ulong result = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (_pos >= _data.Length)
            {
                Malformed("truncated varint", Position);
            }

            byte b = _data[_pos++];
            result |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }

        Malformed("varint longer than 10 bytes", Position);
        return 0;
    }

    /// Reads a length-delimited field's payload; <paramref name="origin"/> is its offset in the record.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<byte> ReadLengthDelimited(out int origin)
    {
        ulong length = ReadVarint();
        if (length > (ulong)(_data.Length - _pos))
        {
            MalformedLength(length, _data.Length - _pos, Position);
        }

        origin = Position;
        var slice = _data.Slice(_pos, (int)length);
        _pos += (int)length;
        return slice;
    }

    public ReadOnlySpan<byte> ReadLengthDelimited() => ReadLengthDelimited(out _);

    public float ReadFloat()
    {
        if (_data.Length - _pos < 4)
        {
            Malformed("truncated float", Position);
        }

        float value = BinaryPrimitives.ReadSingleLittleEndian(_data[_pos..]);
        _pos += 4;
        return value;
    }

    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case Varint:
                ReadVarint();
                break;
            case Fixed64:
                Advance(8);
                break;
            case LengthDelimited:
                ReadLengthDelimited();
                break;
            case Fixed32:
                Advance(4);
                break;
            default:
                Malformed($"unsupported wire type {wireType}", Position);
                break;
        }
    }

    // Throwing from a separate method keeps the hot readers small enough for the JIT to inline.
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Malformed(string problem, int position) =>
        throw new MalformedProtobufException($"{problem} at byte {position}");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void MalformedLength(ulong length, int remaining, int position) =>
        Malformed($"field declares {length} bytes but only {remaining} remain", position);

    private void Advance(int count)
    {
        if (_data.Length - _pos < count)
        {
            Malformed("truncated field", Position);
        }

        _pos += count;
    }
}

internal sealed class MalformedProtobufException(string message) : Exception(message);
