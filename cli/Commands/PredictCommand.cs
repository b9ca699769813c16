using System.CommandLine;
using System.Text.Json;
using Custom.Data.Ingest;

namespace Custom.Cli.Commands;

/// `custom predict`: one JSON line per clip, from a model package (ONNX Runtime through Custom.Inference).
internal static class PredictCommand
{
    private const int BatchSize = 1024;

    public static Command Create(CliContext context)
    {
        var common = new CommonOptions();
        var model = new Option<string>("--model", "-m") { Description = "Package folder written by 'custom train', or a file in it such as its model.zip (scored with model.onnx)", Required = true, HelpName = "PACKAGE" };
        var input = new Option<string>("--input", "-i") { Description = "A .tfrecord file, a folder of them, or a glob", Required = true, HelpName = "FILE|DIR" };
        var command = new Command("predict",
            "Classify every clip of TFRecord input; prints one JSON line per clip: video_id, start_time_seconds, label, score, probabilities.");
        command.Options.Add(model);
        command.Options.Add(input);
        command.Options.Add(common.OnCorrupt);
        command.Options.Add(common.NoCrc);
        command.SetAction(result => CliApp.Guard(context, () =>
        {
            string modelPath = result.GetValue(model)!;
            using var classifier = PackageLoader.Load(File.Exists(modelPath) ? Path.GetDirectoryName(Path.GetFullPath(modelPath))! : modelPath);
            var files = AudioSetIngest.ResolveFiles(result.GetValue(input)!);
            var ingest = new IngestOptions { Threads = 1, VerifyCrc = !result.GetValue(common.NoCrc), OnCorrupt = common.CorruptionPolicy(result) };
            foreach (var batch in AudioSetIngest.ReadClips(files, ingest).Chunk(BatchSize))
            {
                var predictions = classifier.PredictBatch(batch.Select(c => c.Frames).ToList());
                for (int i = 0; i < batch.Length; i++)
                {
                    context.Output.WriteLine(Line(batch[i], predictions[i], classifier.Classes));
                }
            }

            return 0;
        }));
        return command;
    }

    private static string Line(Custom.Data.AudioSet.AudioSetClip clip, Custom.Inference.ClipPrediction prediction, IReadOnlyList<string> classes)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("video_id", clip.VideoId);
            json.WriteNumber("start_time_seconds", clip.StartTimeSeconds);
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
