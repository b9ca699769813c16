using System.Buffers.Binary;
using System.Text;
using Custom.Data.TfRecords;
using Custom.Tests.Support;

namespace Custom.Tests.Data.TfRecords;

public sealed class TfRecordReaderTests : IDisposable
{
    private static readonly byte[][] ThreeRecords =
    [
        Encoding.ASCII.GetBytes("first record"),
        Enumerable.Range(0, 300).Select(i => (byte)i).ToArray(),
        Encoding.ASCII.GetBytes("third"),
    ];

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static List<byte[]> ReadAll(TfRecordReader reader)
    {
        var records = new List<byte[]>();
        while (reader.TryRead(out var record))
        {
            records.Add(record.ToArray());
        }

        return records;
    }

    private string WriteThree() => Fixtures.WriteRecords(_temp.File("three.tfrecord"), ThreeRecords);

    private static CorruptRecordException ReadExpectingError(string path)
    {
        using var reader = TfRecordReader.Open(path);
        return Assert.Throws<CorruptRecordException>(() => ReadAll(reader));
    }

    private static void AssertNamesPlace(CorruptRecordException error, string path, long offset, long index, CorruptionKind kind)
    {
        Assert.Equal(kind, error.Kind);
        Assert.Equal(path, error.FilePath);
        Assert.Equal(offset, error.Offset);
        Assert.Equal(index, error.RecordIndex);
        Assert.Contains(path, error.Message);
        Assert.Contains($"byte offset {offset}", error.Message);
        Assert.Contains($"record {index}", error.Message);
    }

    [Fact]
    public void Masked_crc32c_matches_the_published_check_value()
    {
        // CRC-32C("123456789") = 0xE3069283 (RFC 3720); the mask rotates right by 15 and adds 0xa282ead8.
        uint crc = System.IO.Hashing.Crc32.HashToUInt32(System.IO.Hashing.Crc32ParameterSet.Crc32C, "123456789"u8);
        Assert.Equal(0xE3069283u, crc);
        Assert.Equal(unchecked(((crc >> 15) | (crc << 17)) + 0xa282ead8u), TfRecordFormat.MaskedCrc32C("123456789"u8));
    }

    [Fact]
    public void Writer_then_reader_round_trips_records_in_order()
    {
        string path = WriteThree();
        using var reader = TfRecordReader.Open(path);
        var records = ReadAll(reader);
        Assert.Equal(ThreeRecords, records);
        Assert.Equal(2, reader.RecordIndex);
        Assert.Equal(Fixtures.OffsetOf(2, ThreeRecords), reader.RecordOffset);
    }

    [Fact]
    public void Memory_reader_reads_what_the_file_reader_reads()
    {
        string path = WriteThree();
        using var reader = TfRecordReader.FromMemory(File.ReadAllBytes(path), "in-memory");
        Assert.Equal(ThreeRecords, ReadAll(reader));
    }

    [Fact]
    public void Record_larger_than_the_read_chunk_round_trips()
    {
        var big = new byte[300_000];
        new Random(7).NextBytes(big);
        string path = Fixtures.WriteRecords(_temp.File("big.tfrecord"), [1, 2, 3], big, [4]);
        using var reader = TfRecordReader.Open(path);
        var records = ReadAll(reader);
        Assert.Equal(3, records.Count);
        Assert.Equal(big, records[1]);
    }

    [Fact]
    public void Empty_file_is_valid_and_has_no_records()
    {
        string path = _temp.File("empty.tfrecord");
        File.WriteAllBytes(path, []);
        using var reader = TfRecordReader.Open(path);
        Assert.Empty(ReadAll(reader));
    }

    [Fact]
    public void Truncated_header_is_reported_with_file_and_offset()
    {
        string path = WriteThree();
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, [.. bytes, 1, 2, 3, 4, 5]); // five stray bytes after the last record
        var error = ReadExpectingError(path);
        AssertNamesPlace(error, path, bytes.Length, 3, CorruptionKind.TruncatedHeader);
        Assert.Contains("only 5 bytes left", error.Message);
    }

    [Fact]
    public void Length_crc_mismatch_is_reported_with_file_and_offset()
    {
        string path = WriteThree();
        var bytes = File.ReadAllBytes(path);
        long offset = Fixtures.OffsetOf(1, ThreeRecords);
        bytes[offset + 9] ^= 0xFF; // inside the second record's length CRC
        File.WriteAllBytes(path, bytes);
        var error = ReadExpectingError(path);
        AssertNamesPlace(error, path, offset, 1, CorruptionKind.LengthCrcMismatch);
        Assert.Contains("length CRC mismatch", error.Message);
    }

    [Fact]
    public void Data_crc_mismatch_is_reported_with_file_and_offset()
    {
        string path = WriteThree();
        var bytes = File.ReadAllBytes(path);
        long offset = Fixtures.OffsetOf(2, ThreeRecords);
        bytes[offset + 12] ^= 0x01; // first data byte of the third record
        File.WriteAllBytes(path, bytes);
        var error = ReadExpectingError(path);
        AssertNamesPlace(error, path, offset, 2, CorruptionKind.DataCrcMismatch);
        Assert.Contains("data CRC mismatch", error.Message);
    }

    [Fact]
    public void Truncated_payload_is_reported_with_file_and_offset()
    {
        string path = WriteThree();
        var bytes = File.ReadAllBytes(path);
        long offset = Fixtures.OffsetOf(1, ThreeRecords);
        File.WriteAllBytes(path, bytes[..(int)(offset + 12 + 100)]); // cut inside the 300-byte second record
        var error = ReadExpectingError(path);
        AssertNamesPlace(error, path, offset, 1, CorruptionKind.TruncatedPayload);
        Assert.Contains("declares 300 data bytes", error.Message);
        Assert.Contains("only 100 bytes follow", error.Message);
    }

    [Fact]
    public void Length_larger_than_the_file_is_reported_before_anything_is_allocated_for_it()
    {
        // A header whose length field (with a valid CRC, so the CRC check cannot catch it) claims ~4.6 exabytes.
        // Trying to allocate that first would throw OutOfMemoryException instead of naming the problem.
        string path = _temp.File("huge.tfrecord");
        var header = new byte[TfRecordFormat.HeaderSize];
        TfRecordFormat.WriteHeader(header, 1UL << 62);
        File.WriteAllBytes(path, [.. header, 1, 2, 3, 4, 5, 6, 7, 8]);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = ReadExpectingError(path);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        AssertNamesPlace(error, path, 0, 0, CorruptionKind.LengthExceedsFile);
        Assert.Contains($"declared length {1UL << 62} is larger than the rest of the file", error.Message);
        Assert.True(allocated < 1_000_000, $"allocated {allocated} bytes");
    }

    [Fact]
    public void Unverified_length_running_past_the_end_is_reported_as_a_corrupt_length()
    {
        string path = WriteThree();
        var bytes = File.ReadAllBytes(path);
        bytes[3] = 0x7F; // first record's length becomes ~2 GB; its CRC no longer matches, and checks are off
        File.WriteAllBytes(path, bytes);
        using var reader = TfRecordReader.Open(path, new TfRecordReaderOptions { VerifyCrc = false });
        var error = Assert.Throws<CorruptRecordException>(() => ReadAll(reader));
        AssertNamesPlace(error, path, 0, 0, CorruptionKind.LengthExceedsFile);
    }

    [Fact]
    public void Skip_policy_skips_a_bad_record_counts_it_and_reads_the_rest()
    {
        string path = WriteThree();
        var bytes = File.ReadAllBytes(path);
        bytes[Fixtures.OffsetOf(1, ThreeRecords) + 20] ^= 0x10; // corrupt the second record's data
        File.WriteAllBytes(path, bytes);
        using var reader = TfRecordReader.Open(path, new TfRecordReaderOptions { OnCorrupt = OnCorrupt.Skip });
        var records = ReadAll(reader);
        Assert.Equal([ThreeRecords[0], ThreeRecords[2]], records);
        Assert.Equal(1, reader.RecordsSkipped);
        Assert.Equal(CorruptionKind.DataCrcMismatch, Assert.Single(reader.SkippedErrors).Kind);
    }

    [Fact]
    public void Skip_policy_stops_at_an_untrustworthy_length_but_keeps_what_came_before()
    {
        string path = WriteThree();
        var bytes = File.ReadAllBytes(path);
        bytes[Fixtures.OffsetOf(1, ThreeRecords) + 2] ^= 0x40; // corrupt the second record's length
        File.WriteAllBytes(path, bytes);
        using var reader = TfRecordReader.Open(path, new TfRecordReaderOptions { OnCorrupt = OnCorrupt.Skip });
        Assert.Equal([ThreeRecords[0]], ReadAll(reader));
        Assert.Equal(1, reader.RecordsSkipped);
    }

    [Fact]
    public void Crc_checks_can_be_turned_off()
    {
        string path = WriteThree();
        var bytes = File.ReadAllBytes(path);
        long offset = Fixtures.OffsetOf(0, ThreeRecords);
        bytes[offset + 12] = (byte)'F';
        File.WriteAllBytes(path, bytes);
        using var reader = TfRecordReader.Open(path, new TfRecordReaderOptions { VerifyCrc = false });
        Assert.Equal("First record", Encoding.ASCII.GetString(ReadAll(reader)[0]));
    }

    [Fact]
    public void Writer_frames_records_as_tensorflow_does()
    {
        var stream = new MemoryStream();
        using (var writer = new TfRecordWriter(stream, leaveOpen: true))
        {
            writer.Write("abc"u8);
        }

        var bytes = stream.ToArray();
        Assert.Equal(16 + 3, bytes.Length);
        Assert.Equal(3UL, BinaryPrimitives.ReadUInt64LittleEndian(bytes));
        Assert.Equal(TfRecordFormat.MaskedCrc32C(bytes.AsSpan(0, 8)), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)));
        Assert.Equal("abc"u8.ToArray(), bytes[12..15]);
        Assert.Equal(TfRecordFormat.MaskedCrc32C("abc"u8), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(15)));
    }
}
