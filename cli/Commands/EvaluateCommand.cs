using System.CommandLine;
using Custom.Data;
using Custom.Data.Ingest;
using Custom.Data.Selection;
using Custom.Evaluation;
using Custom.Training;
using Custom.Training.Packaging;
using Microsoft.ML;
using Custom.Inference;

namespace Custom.Cli.Commands;

/// `custom evaluate`: recomputes metrics.json from a saved model.
internal static class EvaluateCommand
{
    public static Command Create(CliContext context)
    {
        var common = new CommonOptions();
        var model = new Option<string>("--model", "-m")
        {
            Description = "A package folder written by 'custom train' (scored with model.onnx through Custom.Inference), or its model.zip (scored with ML.NET)",
            Required = true,
            HelpName = "PACKAGE|FILE",
        };
        var split = new Option<string>("--split", "-s") { Description = "Split to evaluate on", DefaultValueFactory = _ => "eval" };
        var output = new Option<string?>("--out", "-o") { Description = "Where to write metrics.json [default: print it]", HelpName = "FILE" };
        var command = new Command("evaluate", "Score a saved model on a split and write its metrics.json, byte-identical to the one 'custom train' wrote, " +
            "whether scored from model.zip (ML.NET) or from the package (ONNX Runtime); log_loss is stored to 6 decimals, below which the two engines' float rounding differs.");
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
            bool package = Directory.Exists(modelPath);
            if (!package && !File.Exists(modelPath))
            {
                throw new InvalidInputException($"{modelPath}: model not found (give a package folder or its model.zip)");
            }

            string packageDir = package ? modelPath : Path.GetDirectoryName(Path.GetFullPath(modelPath))!;
            PackageLoader.Verify(packageDir, package ? [] : [Path.GetFileName(modelPath)]);
            var manifest = ModelManifest.Load(Path.Combine(packageDir, ModelManifest.FileName));
            var classes = manifest.ToClassSet();
            var selector = new ClipSelector(classes, SelectionPolicyNames.Parse(manifest.Policy));
            var folder = common.OpenFolder(result);
            string? outPath = result.GetValue(output);
            if (outPath is not null)
            {
                OutputFolder.CheckFile(outPath, [.. folder.Inputs, Path.Combine(packageDir, ModelManifest.FileName), .. manifest.Files!.Keys.Select(f => Path.Combine(packageDir, f))]);
            }

            string splitName = result.GetValue(split)!;
            var clips = ProgressDisplay.Run(context, $"reading {splitName}", p => AudioSetIngest.ReadSelected(folder.FilesOf(splitName), selector, common.Ingest(result) with { Progress = p })).RequireAny(splitName).Clips;

            float[][] probabilities;
            if (package)
            {
                using var classifier = PackageLoader.Load(packageDir);
                probabilities = classifier.PredictBatch(clips.Select(c => c.Clip.Frames).ToList()).Select(p => p.Probabilities.ToArray()).ToArray();
            }
            else
            {
                var ml = new MLContext(manifest.Seed);
                probabilities = SavedModel.Predict(ml, LoadModel(ml, modelPath), clips.Select(c => c.Clip.Frames));
            }

            var metrics = MulticlassMetrics.Compute(classes, clips.Select(c => c.Label).ToArray(), probabilities);
            var document = new MetricsDocument(splitName, manifest.Trainer, manifest.Features, metrics);
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
