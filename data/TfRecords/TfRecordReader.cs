using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace Custom.Data.TfRecords;

/// <summary>
/// Streams the records of one TFRecord file (or an in-memory copy of one), verifying both masked CRC32C values.
/// Memory use is one pooled buffer the size of the largest record or 64 KiB, whichever is larger; a declared
/// length is checked against <see cref="MaxRecordLength"/> and the bytes actually left before anything is allocated
/// for it. Only regular files are opened: a FIFO or device named like a TFRecord file would block or never end.
/// </summary>
/// <remarks>
/// The span handed out by <see cref="TryRead"/> is valid until the next call. Not thread-safe: use one reader per file.
/// </remarks>
public sealed class TfRecordReader : IDisposable
{
    /// <summary>
    /// The largest record data accepted, 16 MiB: an AudioSet clip is about 1.5 KB, so a larger declared length is
    /// damage (a corrupt length field), reported before any memory is allocated for it.
    /// </summary>
    public const int MaxRecordLength = 16 * 1024 * 1024;

    private const int ChunkSize = 64 * 1024;
    private const int MaxKeptErrors = 16;

    private readonly SafeFileHandle? _handle;
    private readonly ReadOnlyMemory<byte> _memory;
    private readonly long _sourceLength;
    private readonly bool _verifyCrc;
    private readonly OnCorrupt _onCorrupt;
    private List<CorruptRecordException>? _skipped;
    private byte[]? _buffer;
    private long _bufferOffset; // source offset of _buffer[0] (or of _memory[0])
    private int _start;         // next unread byte, relative to the buffer
    private int _end;           // end of valid bytes, relative to the buffer
    private long _nextIndex;
    private bool _done;

    private TfRecordReader(string sourceName, SafeFileHandle? handle, ReadOnlyMemory<byte> memory, long length, TfRecordReaderOptions options)
    {
        SourceName = sourceName;
        _handle = handle;
        _memory = memory;
        _sourceLength = length;
        _verifyCrc = options.VerifyCrc;
        _onCorrupt = options.OnCorrupt;
        if (handle is null)
        {
            _end = memory.Length;
        }
        else
        {
            _buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(length, TfRecordFormat.HeaderSize, ChunkSize));
        }
    }

    /// <summary>Opens a TFRecord file for streaming.</summary>
    /// <exception cref="InvalidInputException">The path is missing, a folder, or not a regular file.</exception>
    public static TfRecordReader Open(string path, TfRecordReaderOptions? options = null)
    {
        switch (FileSystemNative.KindOf(path))
        {
            case FileSystemNative.Kind.Regular:
                break;
            case FileSystemNative.Kind.Missing:
                throw new InvalidInputException($"{path}: file not found");
            case FileSystemNative.Kind.Directory:
                throw new InvalidInputException($"{path}: is a folder, not a TFRecord file");
            default:
                throw new InvalidInputException($"{path}: is not a regular file (a pipe, device or socket); only regular TFRecord files are read");
        }

        // No FileOptions.SequentialScan: its fadvise is one more system call per file, and for files of a few
        // kilobytes (AudioSet's are ~10 KB) read in one or two calls it buys nothing.
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            return new TfRecordReader(path, handle, default, RandomAccess.GetLength(handle), options ?? TfRecordReaderOptions.Default);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Reads records from bytes already in memory; <paramref name="sourceName"/> is used in error messages.</summary>
    public static TfRecordReader FromMemory(ReadOnlyMemory<byte> bytes, string sourceName, TfRecordReaderOptions? options = null) =>
        new(sourceName, null, bytes, bytes.Length, options ?? TfRecordReaderOptions.Default);

    /// <summary>Reads every record of a file into its own array: convenient for small files and notebooks.</summary>
    public static IEnumerable<byte[]> ReadAll(string path, TfRecordReaderOptions? options = null)
    {
        using var reader = Open(path, options);
        while (true)
        {
            byte[] copy;
            if (!reader.TryRead(out var record))
            {
                yield break;
            }

            copy = record.ToArray();
            yield return copy;
        }
    }

    /// <summary>The file path, or the name given to an in-memory source.</summary>
    public string SourceName { get; }

    /// <summary>Byte offset of the record most recently returned.</summary>
    public long RecordOffset { get; private set; }

    /// <summary>Zero-based index of the record most recently returned.</summary>
    public long RecordIndex { get; private set; } = -1;

    /// <summary>How many corrupt records were skipped (only under <see cref="OnCorrupt.Skip"/>).</summary>
    public int RecordsSkipped { get; private set; }

    /// <summary>The first few problems skipped, for reporting.</summary>
    public IReadOnlyList<CorruptRecordException> SkippedErrors => _skipped ?? [];

    private ReadOnlySpan<byte> Window => _handle is null ? _memory.Span : _buffer;

    /// <summary>
    /// Reads the next record's data. Returns false at the end of the source (an empty file has no records).
    /// Throws <see cref="CorruptRecordException"/> on damage unless the policy is <see cref="OnCorrupt.Skip"/>.
    /// </summary>
    public bool TryRead(out ReadOnlySpan<byte> record)
    {
        while (!_done)
        {
            long offset = _bufferOffset + _start;
            long index = _nextIndex;
            long remaining = _sourceLength - offset;
            if (remaining == 0)
            {
                break;
            }

            if (remaining < TfRecordFormat.HeaderSize)
            {
                Corrupt(offset, index, CorruptionKind.TruncatedHeader,
                    $"truncated header: only {remaining} bytes left, a record header needs {TfRecordFormat.HeaderSize}", fatal: true);
                continue;
            }

            Fill(TfRecordFormat.HeaderSize);
            var header = Window.Slice(_start, TfRecordFormat.HeaderSize);
            if (_verifyCrc && !TfRecordFormat.LengthCrcMatches(header))
            {
                Corrupt(offset, index, CorruptionKind.LengthCrcMismatch,
                    $"length CRC mismatch: stored 0x{TfRecordFormat.ReadLengthCrc(header):x8}, computed 0x{TfRecordFormat.MaskedCrc32C(header[..8]):x8} (length field reads {TfRecordFormat.ReadLength(header)})",
                    fatal: true);
                continue;
            }

            ulong length = TfRecordFormat.ReadLength(header);
            long room = remaining - TfRecordFormat.HeaderSize - TfRecordFormat.FooterSize;
            if (room < 0 || length > (ulong)room)
            {
                ReportOversized(offset, index, length, remaining - TfRecordFormat.HeaderSize);
                continue;
            }

            if (length > MaxRecordLength)
            {
                Corrupt(offset, index, CorruptionKind.LengthTooLarge,
                    $"declared length {length} exceeds the {MaxRecordLength}-byte limit of a record (an AudioSet clip is about 1.5 KB)", fatal: true);
                continue;
            }

            int total = TfRecordFormat.HeaderSize + (int)length + TfRecordFormat.FooterSize;
            Fill(total);
            var framed = Window.Slice(_start, total);
            var data = framed.Slice(TfRecordFormat.HeaderSize, (int)length);
            _start += total;
            _nextIndex++;
            if (_verifyCrc)
            {
                uint stored = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(framed[^TfRecordFormat.FooterSize..]);
                uint computed = TfRecordFormat.MaskedCrc32C(data);
                if (stored != computed)
                {
                    // The length was verified, so the next record's position is still known: only this one is lost.
                    Corrupt(offset, index, CorruptionKind.DataCrcMismatch,
                        $"data CRC mismatch: stored 0x{stored:x8}, computed 0x{computed:x8} over {length} bytes", fatal: false);
                    continue;
                }
            }

            RecordOffset = offset;
            RecordIndex = index;
            record = data;
            return true;
        }

        _done = true;
        record = default;
        return false;
    }

    /// <summary>
    /// Records a problem in a record that <see cref="TryRead"/> returned (for example, invalid contents): throws under
    /// <see cref="OnCorrupt.Fail"/>, counts it under <see cref="OnCorrupt.Skip"/>.
    /// </summary>
    public void ReportInvalidRecord(string problem) =>
        Corrupt(RecordOffset, RecordIndex, CorruptionKind.InvalidClip, problem, fatal: false);

    private void ReportOversized(long offset, long index, ulong length, long afterHeader)
    {
        // A verified length that runs past the end means the file was cut off. A length no array could hold, or one
        // that was not verified (CRC checks off), is reported as a corrupt length field instead.
        bool verified = _verifyCrc && length <= (ulong)(Array.MaxLength - 64);
        if (verified)
        {
            Corrupt(offset, index, CorruptionKind.TruncatedPayload,
                $"truncated payload: header declares {length} data bytes plus a 4-byte CRC, but only {afterHeader} bytes follow the header",
                fatal: true);
        }
        else
        {
            Corrupt(offset, index, CorruptionKind.LengthExceedsFile,
                $"declared length {length} is larger than the rest of the file ({afterHeader} bytes after the header; file is {_sourceLength} bytes)",
                fatal: true);
        }
    }

    private void Corrupt(long offset, long index, CorruptionKind kind, string problem, bool fatal)
    {
        var error = new CorruptRecordException(SourceName, offset, index, kind, problem);
        if (_onCorrupt == OnCorrupt.Fail)
        {
            _done = true;
            throw error;
        }

        RecordsSkipped++;
        _skipped ??= new List<CorruptRecordException>();
        if (_skipped.Count < MaxKeptErrors)
        {
            _skipped.Add(error);
        }

        // Without a trustworthy length there is no way to find the next record: the rest of the file is lost.
        _done |= fatal;
    }

    /// Makes at least <paramref name="count"/> bytes available at _start; callers have checked they exist in the source.
    private void Fill(int count)
    {
        if (_handle is null || _end - _start >= count)
        {
            return;
        }

        int available = _end - _start;
        var buffer = _buffer!;
        if (buffer.Length < count)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(count, ChunkSize));
            buffer.AsSpan(_start, available).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(buffer);
            _buffer = buffer = larger;
        }
        else if (_start > 0)
        {
            buffer.AsSpan(_start, available).CopyTo(buffer);
        }

        _bufferOffset += _start;
        _start = 0;
        _end = available;
        while (_end < count)
        {
            int read = RandomAccess.Read(_handle, buffer.AsSpan(_end), _bufferOffset + _end);
            if (read == 0)
            {
                throw new IOException($"{SourceName}: the file became shorter while it was being read (at byte {_bufferOffset + _end})");
            }

            _end += read;
        }
    }

    /// <summary>Returns the buffer to the pool and closes the file.</summary>
    public void Dispose()
    {
        _done = true;
        _handle?.Dispose();
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }
    }
}
