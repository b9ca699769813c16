using System.Text.Json;
using Custom.Audio;
using Custom.Data.AudioSet;
using Custom.Inference;

namespace Custom.Cli.Commands;

/// One JSON line of `custom predict`: the clip's id and times, then label, score (for an open-set model, whether the
/// label is "other": none of its classes) and every class's probability.
internal static class PredictionLine
{
    /// A TFRecord clip: its start time as stored (float32).
    public static string ForClip(AudioSetClip clip, ClipPrediction prediction, IReadOnlyList<string> classes, bool openSet = false) =>
        Format(clip.VideoId, json => json.WriteNumber("start_time_seconds", clip.StartTimeSeconds), prediction, classes, openSet);

    /// A sound file's 10-second window: start and end time and its frame count.
    public static string ForWindow(string videoId, AudioWindow window, ClipPrediction prediction, IReadOnlyList<string> classes, bool openSet = false) =>
        Format(videoId, json =>
        {
            json.WriteNumber("start_time_seconds", window.StartSeconds);
            json.WriteNumber("end_time_seconds", window.EndSeconds);
            json.WriteNumber("frames", window.FrameCount);
        }, prediction, classes, openSet);

    private static string Format(string videoId, Action<Utf8JsonWriter> times, ClipPrediction prediction, IReadOnlyList<string> classes, bool openSet)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("video_id", videoId);
            times(json);
            json.WriteString("label", prediction.ClassName);
            json.WriteNumber("score", prediction.Score);
            if (openSet)
            {
                // An open-set model's answer "other" means none of its classes; closed models' lines stay as they were.
                json.WriteBoolean("other", prediction.IsOther);
            }

            json.WriteStartObject("probabilities");
            for (int c = 0; c < classes.Count; c++)
            {
                json.WriteNumber(classes[c], prediction.Probabilities[c]);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
