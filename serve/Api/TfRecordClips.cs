using Custom.Data.AudioSet;
using Custom.Data.Ingest;
using Custom.Data.TfRecords;

namespace Custom.Serve.Api;

/// Clips of a TFRecord body, read by the same reader and clip parser as `custom predict`: both CRCs checked, the
/// first corrupt or invalid record refuses the request with the CLI's message.
internal static class TfRecordClips
{
    public static IReadOnlyList<AudioSetClip> Read(ReadOnlyMemory<byte> bytes, string sourceName)
    {
        if (bytes.IsEmpty)
        {
            throw RequestProblem.BadRequest($"{sourceName}: the TFRecord is empty; send a .tfrecord file of AudioSet SequenceExamples");
        }

        var clips = new List<AudioSetClip>();
        try
        {
            AudioSetIngest.ForEachClip(TfRecordReader.FromMemory(bytes, sourceName), new ClipFields(),
                (record, fields) => clips.Add(AudioSetClip.FromFields(record, fields)));
        }
        catch (CorruptRecordException e)
        {
            throw RequestProblem.BadRequest(e.Message);
        }

        return clips;
    }
}
