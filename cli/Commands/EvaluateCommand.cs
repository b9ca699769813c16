using System.CommandLine;
using Custom.Training;

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
            var request = new EvaluationRequest
            {
                Model = result.GetValue(model)!,
                Data = result.GetValue(common.Data),
                Split = result.GetValue(split)!,
                Output = result.GetValue(output),
                Ingest = common.Ingest(result),
            };
            var run = ProgressDisplay.Run(context, progress => ModelEvaluation.Run(request with { Progress = progress }));
            if (run.Output is null)
            {
                context.Output.Write(run.Metrics.ToJson());
            }
            else
            {
                var metrics = run.Metrics.Metrics;
                context.Output.WriteLine($"{request.Split}: macro-F1 {metrics.MacroF1:F4}, accuracy {metrics.Accuracy:F4} — wrote {run.Output}");
            }

            return 0;
        }));
        return command;
    }
}
