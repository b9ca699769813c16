namespace Custom.Data.TfRecords;

/// <summary>Writes records in TFRecord framing (length, masked CRC32C of length, data, masked CRC32C of data).</summary>
public sealed class TfRecordWriter : IDisposable
{
    private readonly Stream _stream;
    private readonly bool _leaveOpen;

    /// <summary>Writes to <paramref name="stream"/>; it is closed with the writer unless <paramref name="leaveOpen"/>.</summary>
    public TfRecordWriter(Stream stream, bool leaveOpen = false)
    {
        _stream = stream;
        _leaveOpen = leaveOpen;
    }

    /// <summary>Creates (or replaces) a file.</summary>
    public static TfRecordWriter Create(string path) =>
        new(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 64 * 1024));

    /// <summary>How many records have been written.</summary>
    public long RecordsWritten { get; private set; }

    /// <summary>Appends one record.</summary>
    public void Write(ReadOnlySpan<byte> data)
    {
        Span<byte> header = stackalloc byte[TfRecordFormat.HeaderSize];
        TfRecordFormat.WriteHeader(header, (ulong)data.Length);
        Span<byte> footer = stackalloc byte[TfRecordFormat.FooterSize];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(footer, TfRecordFormat.MaskedCrc32C(data));
        _stream.Write(header);
        _stream.Write(data);
        _stream.Write(footer);
        RecordsWritten++;
    }

    /// <summary>Flushes buffered bytes to the underlying stream.</summary>
    public void Flush() => _stream.Flush();

    /// <summary>Flushes and closes the stream (unless left open).</summary>
    public void Dispose()
    {
        _stream.Flush();
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }
}
