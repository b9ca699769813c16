using System.CommandLine;
using System.Text.Json;
using Custom.Inference;

namespace Custom.Cli.Commands;

/// `custom predict --audio`: a sound file's 10-second windows through VGGish and the package, one JSON line each.
internal static class AudioPrediction
{
    public static int Run(CliContext context, SoundClassifier classifier, AudioOptions audio, ParseResult result, string soundFile)
    {
        using var embedder = audio.Load(result);
        var windows = AudioOptions.EmbedFile(embedder, soundFile);
        var predictions = classifier.PredictBatch(windows.Select(w => (ReadOnlyMemory<byte>)w.Frames).ToList());
        string videoId = Path.GetFileNameWithoutExtension(soundFile);
        for (int i = 0; i < windows.Count; i++)
        {
            context.Output.WriteLine(Line(videoId, windows[i], predictions[i], classifier.Classes));
        }

        return 0;
    }

    private static string Line(string videoId, Custom.Audio.AudioWindow window, ClipPrediction prediction, IReadOnlyList<string> classes)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("video_id", videoId);
            json.WriteNumber("start_time_seconds", window.StartSeconds);
            json.WriteNumber("end_time_seconds", window.EndSeconds);
            json.WriteNumber("frames", window.FrameCount);
            json.WriteString("label", prediction.ClassName);
            json.WriteNumber("score", prediction.Score);
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
