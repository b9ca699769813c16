using System.CommandLine;
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
            context.Output.WriteLine(PredictionLine.ForWindow(videoId, windows[i], predictions[i], classifier.Classes, classifier.OpenSet));
        }

        return 0;
    }
}
