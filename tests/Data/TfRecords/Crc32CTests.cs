using System.IO.Hashing;
using Custom.Data.TfRecords;

namespace Custom.Tests.Data.TfRecords;

public sealed class Crc32CTests
{
    private static uint Reference(ReadOnlySpan<byte> data) => Crc32.HashToUInt32(Crc32ParameterSet.Crc32C, data);

    [Fact]
    public void Known_check_value() =>
        Assert.Equal(0xE3069283u, Crc32C.Hash("123456789"u8)); // the catalogued CRC-32C check value

    [Fact]
    public void Agrees_with_System_IO_Hashing_on_every_short_length_and_alignment()
    {
        var random = new Random(1);
        var buffer = new byte[600 + 64];
        random.NextBytes(buffer);
        for (int offset = 0; offset < 64; offset++)
        {
            for (int length = 0; length <= 600; length++)
            {
                var data = buffer.AsSpan(offset, length);
                Assert.True(Reference(data) == Crc32C.Hash(data), $"offset {offset}, length {length}");
            }
        }
    }

    [Fact]
    public void Agrees_with_System_IO_Hashing_on_random_lengths_up_to_20000_at_all_alignments()
    {
        var random = new Random(2);
        var buffer = new byte[20000 + 64];
        random.NextBytes(buffer);
        for (int i = 0; i < 4000; i++)
        {
            int offset = i % 64;
            int length = random.Next(0, 20001);
            var data = buffer.AsSpan(offset, length);
            Assert.True(Reference(data) == Crc32C.Hash(data), $"offset {offset}, length {length}");
        }
    }

    [Fact]
    public void Agrees_with_System_IO_Hashing_around_lane_limits_and_beyond()
    {
        // 12,288 bytes is three full 4 KiB lanes: check either side of it, of two such stripes, and a long buffer.
        var random = new Random(3);
        var buffer = new byte[200_000 + 8];
        random.NextBytes(buffer);
        int[] lengths = [95, 96, 97, 12_287, 12_288, 12_289, 12_311, 12_312, 12_313, 24_575, 24_576, 24_600, 200_000];
        foreach (int length in lengths)
        {
            for (int offset = 0; offset < 8; offset++)
            {
                var data = buffer.AsSpan(offset, length);
                Assert.True(Reference(data) == Crc32C.Hash(data), $"offset {offset}, length {length}");
            }
        }
    }

    [Fact]
    public void Matches_on_uniform_inputs()
    {
        foreach (byte fill in new byte[] { 0x00, 0xFF, 0x80 })
        {
            var data = Enumerable.Repeat(fill, 5000).ToArray();
            Assert.Equal(Reference(data), Crc32C.Hash(data));
        }
    }
}
