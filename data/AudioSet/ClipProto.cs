using Custom.Data.Protos;
using Google.Protobuf;

namespace Custom.Data.AudioSet;

/// Conversions between <see cref="AudioSetClip"/> and the generated protobuf messages. The writer uses this
/// direction; tests use the other to check the span parser against Google.Protobuf.
internal static class ClipProto
{
    public static SequenceExample ToSequenceExample(AudioSetClip clip)
    {
        var context = new Features();
        context.Feature.Add("video_id", BytesFeature(ByteString.CopyFromUtf8(clip.VideoId)));
        context.Feature.Add("start_time_seconds", FloatFeature(clip.StartTimeSeconds));
        context.Feature.Add("end_time_seconds", FloatFeature(clip.EndTimeSeconds));
        var labels = new Int64List();
        labels.Value.AddRange(clip.Labels.Select(l => (long)l));
        context.Feature.Add("labels", new Feature { Int64List = labels });

        var embedding = new FeatureList();
        for (int i = 0; i < clip.FrameCount; i++)
        {
            embedding.Feature.Add(BytesFeature(ByteString.CopyFrom(clip.GetFrame(i))));
        }

        var lists = new FeatureLists();
        lists.FeatureList.Add(ClipParser.EmbeddingKey, embedding);
        return new SequenceExample { Context = context, FeatureLists = lists };
    }

    /// Reads a clip through the generated parser; throws <see cref="InvalidInputException"/> when fields are missing.
    public static AudioSetClip FromSequenceExample(SequenceExample example)
    {
        var context = example.Context?.Feature ?? throw new InvalidInputException("missing context");
        string videoId = Single(context, "video_id", Feature.KindOneofCase.BytesList, f => f.BytesList.Value).ToStringUtf8();
        float start = Single(context, "start_time_seconds", Feature.KindOneofCase.FloatList, f => f.FloatList.Value);
        float end = Single(context, "end_time_seconds", Feature.KindOneofCase.FloatList, f => f.FloatList.Value);
        if (!context.TryGetValue("labels", out var labels) || labels.KindCase != Feature.KindOneofCase.Int64List)
        {
            throw new InvalidInputException("missing or mistyped 'labels'");
        }

        if (example.FeatureLists is null || !example.FeatureLists.FeatureList.TryGetValue(ClipParser.EmbeddingKey, out var embedding))
        {
            throw new InvalidInputException("missing 'audio_embedding'");
        }

        var frames = embedding.Feature.SelectMany(f => f.BytesList.Value.Single().ToByteArray()).ToArray();
        return new AudioSetClip(videoId, start, end, labels.Int64List.Value.Select(l => checked((int)l)), frames);
    }

    private static Feature BytesFeature(ByteString value)
    {
        var list = new BytesList();
        list.Value.Add(value);
        return new Feature { BytesList = list };
    }

    private static Feature FloatFeature(float value)
    {
        var list = new FloatList();
        list.Value.Add(value);
        return new Feature { FloatList = list };
    }

    private static T Single<T>(IDictionary<string, Feature> context, string key, Feature.KindOneofCase kind, Func<Feature, IList<T>> values)
    {
        if (!context.TryGetValue(key, out var feature) || feature.KindCase != kind || values(feature).Count != 1)
        {
            throw new InvalidInputException($"'{key}' must be a {kind} with one value");
        }

        return values(feature)[0];
    }
}
