using System.CommandLine;
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
        var input = new Option<string>("--input", "-i") { Description = "A .tfrecord file, a folder of them, or a glob", HelpName = "FILE|DIR" };
        var audioFile = new Option<string>("--audio") { Description = "A sound file instead of --input: embedded with --vggish and --pca, one line per 10-second window", HelpName = "FILE" };
        var audio = new AudioOptions();
        var command = new Command("predict",
            "Classify every clip of TFRecord input; prints one JSON line per clip: video_id, start_time_seconds, label, score, probabilities. " +
            "An open-set model (trained with --open-set) may answer \"other\" (none of its classes); its lines also say \"other\": true or false. " +
            "With --audio FILE --vggish M --pca P: one line per 10-second window of the sound file, with end_time_seconds too.");
        command.Options.Add(model);
        command.Options.Add(input);
        command.Options.Add(common.OnCorrupt);
        command.Options.Add(common.NoCrc);
        command.Options.Add(audioFile);
        audio.AddTo(command);
        command.SetAction(result => CliApp.Guard(context, () =>
        {
            if (result.GetValue(input) is null == result.GetValue(audioFile) is null)
            {
                throw new Custom.Data.InvalidInputException("give exactly one of --input (TFRecord) and --audio (a sound file)");
            }

            // A package folder, or any file in it (e.g. its model.zip, as 'evaluate' takes): the package is the folder.
            string modelPath = result.GetValue(model)!;
            using var classifier = PackageLoader.Load(File.Exists(modelPath) ? Path.GetDirectoryName(Path.GetFullPath(modelPath))! : modelPath);
            if (result.GetValue(audioFile) is { } soundFile)
            {
                return AudioPrediction.Run(context, classifier, audio, result, soundFile);
            }

            var files = AudioSetIngest.ResolveFiles(result.GetValue(input)!, requireAny: true);
            var ingest = new IngestOptions { Threads = 1, VerifyCrc = !result.GetValue(common.NoCrc), OnCorrupt = common.CorruptionPolicy(result) };
            foreach (var batch in AudioSetIngest.ReadClips(files, ingest).Chunk(BatchSize))
            {
                var predictions = classifier.PredictBatch(batch.Select(c => c.Frames).ToList());
                for (int i = 0; i < batch.Length; i++)
                {
                    context.Output.WriteLine(PredictionLine.ForClip(batch[i], predictions[i], classifier.Classes, classifier.OpenSet));
                }
            }

            return 0;
        }));
        return command;
    }
}
