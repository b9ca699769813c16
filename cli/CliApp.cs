using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;
using Custom.Cli.Commands;
using Custom.Data;

namespace Custom.Cli;

/// The `custom` command: parses options and hands the work to the libraries.
internal static partial class CliApp
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
            EmbedCommand.Create(context),
            AudioCommand.Create(context),
            ServeCommand.Create(context),
        };
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0 && args.Length > 0)
        {
            // A malformed command line is a user error like any other: one line naming what is wrong, exit 2, and the
            // help left to --help rather than printed over the error.
            string help = string.Join(' ', ["custom", .. CommandPath(parsed.CommandResult), "--help"]);
            context.Error.WriteLine($"custom: error: {string.Join("; ", parsed.Errors.Select(e => Plain(e.Message)))} (see '{help}')");
            return UserError;
        }

        return parsed.Invoke(new InvocationConfiguration { Output = context.Output, Error = context.Error });
    }

    private static IEnumerable<string> CommandPath(CommandResult result)
    {
        var names = new Stack<string>();
        for (var c = result; c.Parent is CommandResult parent; c = parent)
        {
            names.Push(c.Command.Name);
        }

        return names;
    }

    // One line, and the kind of value a user must give where System.CommandLine names a .NET type
    // ("System.Nullable`1[System.Double]").
    private static string Plain(string message)
    {
        string line = Whitespace().Replace(message, " ").Trim();
        return TypeName().Replace(line, m =>
            m.Groups[1].Value.Contains("Int", StringComparison.Ordinal) ? "as a whole number"
            : m.Groups[1].Value.Contains("Double", StringComparison.Ordinal) ? "as a number"
            : m.Value);
    }

    [GeneratedRegex("as expected type '([^']+)'")]
    private static partial Regex TypeName();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

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
