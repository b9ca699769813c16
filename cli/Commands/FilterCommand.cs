using System.CommandLine;
using Custom.Data;
using Custom.Data.Ingest;

namespace Custom.Cli.Commands;

/// `custom filter`: copies the selected clips of one split into a single TFRecord file.
internal static class FilterCommand
{
    public static Command Create(CliContext context)
    {
        var common = new CommonOptions();
        var split = new Option<string>("--split", "-s")
        {
            Description = "Split folder to read (bal_train, eval or unbal_train)",
            DefaultValueFactory = _ => "bal_train",
        };
        var output = new Option<string>("--out", "-o")
        {
            Description = "TFRecord file to write (replaced atomically; left untouched on error)",
            Required = true,
            HelpName = "FILE.tfrecord",
        };
        var command = new Command("filter", "Write only the selected clips of one split to a TFRecord file, records copied byte for byte.");
        common.AddTo(command);
        command.Options.Add(split);
        command.Options.Add(output);
        command.SetAction(result => CliApp.Guard(context, () =>
        {
            var folder = common.OpenFolder(result);
            var selector = common.Selector(result, folder);
            var files = folder.FilesOf(result.GetValue(split)!);
            string path = result.GetValue(output)!;
            OutputFolder.CheckFile(path, [.. folder.Inputs, .. files]);
            var stats = ProgressDisplay.Run(context, $"filtering {files.Count:N0} files",
                progress => AudioSetIngest.WriteSelected(files, selector, path, common.Ingest(result) with { Progress = progress }));
            context.Output.WriteLine($"wrote {stats.ClipsSelected:N0} of {stats.ClipsTotal:N0} clips to {path}" +
                (stats.RecordsSkipped > 0 ? $" ({stats.RecordsSkipped:N0} corrupt records skipped)" : ""));
            return 0;
        }));
        return command;
    }
}
