using Custom.Data.AudioSet;
using Custom.Data.TfRecords;

namespace Custom.Tests.Support;

/// Small clips and TFRecord files built in code.
internal static class Fixtures
{
    public static AudioSetClip Clip(string videoId, int frames, params int[] labels)
    {
        var bytes = new byte[frames * AudioSetClip.FrameSize];
        var random = new Random(videoId.GetHashCode(StringComparison.Ordinal) ^ frames);
        random.NextBytes(bytes);
        return new AudioSetClip(videoId, 30f, 30f + frames, labels, bytes);
    }

    /// Writes raw records (already serialized) with correct framing.
    public static string WriteRecords(string path, params byte[][] records)
    {
        using var writer = TfRecordWriter.Create(path);
        foreach (var record in records)
        {
            writer.Write(record);
        }

        return path;
    }

    public static string WriteClips(string path, params AudioSetClip[] clips) =>
        WriteRecords(path, clips.Select(c => c.ToRecord()).ToArray());

    /// Byte offset at which record <paramref name="index"/> starts, given the data lengths of the records before it.
    public static long OffsetOf(int index, params byte[][] records) =>
        records.Take(index).Sum(r => 16L + r.Length);
}
