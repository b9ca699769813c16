using BenchmarkDotNet.Attributes;
using Custom.Data.AudioSet;
using Custom.Data.Ingest;
using Custom.Data.Protos;
using Custom.Data.Selection;
using Custom.Data.TfRecords;

namespace Custom.Bench;

/// Reader and parser costs over the real eval split held in memory (found by AudioSetLocator: --data, $CUSTOM_AUDIOSET, the default data folder),
/// so that only CPU work is measured. Throughput: divide the bytes reported in the setup line by the mean time.
[MemoryDiagnoser]
public class IngestBenchmarks
{
    private List<(string Name, ReadOnlyMemory<byte> Bytes)> _files = [];
    private List<byte[]> _records = [];
    private readonly ClipFields _fields = new();

    [GlobalSetup]
    public void Setup()
    {
        var folder = AudioSetLocator.Open();
        var paths = folder.FilesOf("eval");
        _files = paths.Select(p => (p, (ReadOnlyMemory<byte>)File.ReadAllBytes(p))).ToList();
        _records = paths.SelectMany(p => TfRecordReader.ReadAll(p)).ToList();
        Console.WriteLine($"// eval: {_files.Sum(f => f.Bytes.Length):N0} bytes in {_files.Count:N0} files, {_records.Count:N0} records");
    }

    [Benchmark(Description = "framing + CRC32C")]
    public long Framing()
    {
        long total = 0;
        foreach (var (name, bytes) in _files)
        {
            using var reader = TfRecordReader.FromMemory(bytes, name);
            while (reader.TryRead(out var record))
            {
                total += record.Length;
            }
        }

        return total;
    }

    // Over the 30.9 MB held in memory the CRC loops are bound by memory bandwidth; during ingest each record was just
    // read into a small buffer, so the CPU-bound comparison is over 64 records (~100 KB, cache-resident), 100 times.
    [Benchmark(Description = "CRC32C, System.IO.Hashing, 64 cache-hot records ×100")]
    public uint Crc32Library()
    {
        uint x = 0;
        for (int i = 0; i < 100; i++)
        {
            foreach (var record in _records.Take(64))
            {
                x ^= System.IO.Hashing.Crc32.HashToUInt32(System.IO.Hashing.Crc32ParameterSet.Crc32C, record);
            }
        }

        return x;
    }

    [Benchmark(Description = "CRC32C, three crc32 lanes, 64 cache-hot records ×100")]
    public uint Crc32ThreeLanes()
    {
        uint x = 0;
        for (int i = 0; i < 100; i++)
        {
            foreach (var record in _records.Take(64))
            {
                x ^= Crc32C.Hash(record);
            }
        }

        return x;
    }

    [Benchmark(Description = "span parser")]
    public int SpanParser()
    {
        int frames = 0;
        foreach (var record in _records)
        {
            ClipParser.TryParse(record, _fields);
            frames += _fields.FrameCount;
        }

        return frames;
    }

    [Benchmark(Description = "Google.Protobuf generated parser", Baseline = true)]
    public int GeneratedParser()
    {
        int frames = 0;
        foreach (var record in _records)
        {
            frames += SequenceExample.Parser.ParseFrom(record).FeatureLists.FeatureList[ClipParser.EmbeddingKey].Feature.Count;
        }

        return frames;
    }

    [Benchmark(Description = "framing + CRC + parse + selection (1 thread)")]
    public long Scan() => AudioSetIngest.ScanMemory(_files, ClipSelector.Default, new IngestOptions { Threads = 1 }).ClipsSelected;
}
