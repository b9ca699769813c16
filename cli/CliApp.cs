using System.CommandLine;
using Custom.Cli.Commands;
using Custom.Data;

namespace Custom.Cli;

/// The `custom` command: parses options and hands the work to the libraries.
internal static class CliApp
{
    public const int UserError = 2;
    public const int InternalError = 70;

    public static int Run(string[] args, CliContext context)
    {
        var root = new RootCommand(
            "custom — Classifying Urban Sounds Taken On Madrid.\n" +
            "Reads AudioSet VGGish embeddings (TFRecord), selects ten urban sound classes, trains and compares ML.NET classifiers,\n" +
            "packages the best as ML.NET and ONNX models, and predicts. Start with: custom data fetch, then custom report and custom train.\n" +
            $"The data folder: --data DIR, else ${Custom.Data.Ingest.AudioSetLocator.EnvironmentVariable}, else {Custom.Data.Ingest.AudioSetLocator.DefaultFolder}\n" +
            "(where 'custom data fetch' puts it), else ../shared/audioset when present.")
        {
            DataCommand.Create(context),
            ReportCommand.Create(context),
            FilterCommand.Create(context),
            TrainCommand.Create(context),
            EvaluateCommand.Create(context),
            PredictCommand.Create(context),
            CompareCommand.Create(context),
            BenchCommand.Create(context),
        };
        return root.Parse(args).Invoke(new InvocationConfiguration { Output = context.Output, Error = context.Error });
    }

    /// Runs a command body, turning the errors a user can cause into one line on stderr and a non-zero exit code.
    public static int Guard(CliContext context, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is InvalidInputException or IOException or UnauthorizedAccessException)
        {
            context.Error.WriteLine($"custom: error: {e.Message}");
            return UserError;
        }
        catch (Exception e) when (Environment.GetEnvironmentVariable("CUSTOM_DEBUG") is null)
        {
            context.Error.WriteLine($"custom: internal error: {e.GetType().Name}: {e.Message} (set CUSTOM_DEBUG=1 for the stack trace)");
            return InternalError;
        }
    }
}
