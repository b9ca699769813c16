using System.CommandLine;
using Custom.Data;
using Custom.Data.Ingest;
using Custom.Data.Selection;
using Custom.Evaluation;
using Custom.Training;
using Microsoft.ML;

namespace Custom.Cli.Commands;

/// `custom evaluate`: recomputes metrics.json from a saved model.
internal static class EvaluateCommand
{
    public static Command Create(CliContext context)
    {
        var common = new CommonOptions();
        var model = new Option<string>("--model", "-m")
        {
            Description = "model.zip written by 'custom train' (its manifest.json must sit beside it)",
            Required = true,
            HelpName = "FILE",
        };
        var split = new Option<string>("--split", "-s") { Description = "Split to evaluate on", DefaultValueFactory = _ => "eval" };
        var output = new Option<string?>("--out", "-o") { Description = "Where to write metrics.json [default: print it]", HelpName = "FILE" };
        var command = new Command("evaluate", "Score a saved model on a split and write its metrics.json (identical to the one 'custom train' wrote for the same split).");
        command.Options.Add(common.Data);
        command.Options.Add(common.OnCorrupt);
        command.Options.Add(common.Threads);
        command.Options.Add(common.NoCrc);
        command.Options.Add(model);
        command.Options.Add(split);
        command.Options.Add(output);
        command.SetAction(result => CliApp.Guard(context, () =>
        {
            string modelPath = result.GetValue(model)!;
            if (!File.Exists(modelPath))
            {
                throw new InvalidInputException($"{modelPath}: model not found");
            }

            var manifest = ModelManifest.Load(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(modelPath))!, ModelManifest.FileName));
            var classes = manifest.ToClassSet();
            var selector = new ClipSelector(classes, SelectionPolicyNames.Parse(manifest.Policy));
            var folder = common.OpenFolder(result);
            string splitName = result.GetValue(split)!;
            var clips = ProgressDisplay.Run(context, $"reading {splitName}", p => AudioSetIngest.ReadSelected(folder.FilesOf(splitName), selector, common.Ingest(result) with { Progress = p })).Clips;

            var ml = new MLContext(manifest.Seed);
            var loaded = LoadModel(ml, modelPath);
            var probabilities = SavedModel.Predict(ml, loaded, clips.Select(c => c.Clip.Frames));
            var metrics = MulticlassMetrics.Compute(classes, clips.Select(c => c.Label).ToArray(), probabilities);
            var document = new MetricsDocument(splitName, manifest.Trainer, manifest.Features, metrics);
            string? outPath = result.GetValue(output);
            if (outPath is null)
            {
                context.Output.Write(document.ToJson());
            }
            else
            {
                document.Save(outPath);
                context.Output.WriteLine($"{splitName}: macro-F1 {metrics.MacroF1:F4}, accuracy {metrics.Accuracy:F4} — wrote {outPath}");
            }

            return 0;
        }));
        return command;
    }

    private static ITransformer LoadModel(MLContext ml, string path)
    {
        try
        {
            return SavedModel.Load(ml, path);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or InvalidDataException)
        {
            throw new InvalidInputException($"{path}: not a model saved by 'custom train': {e.Message}");
        }
    }
}
