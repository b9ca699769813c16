using System.CommandLine;
using Custom.Cli.Bench;
using Custom.Data;
using Custom.Data.Ingest;

namespace Custom.Cli.Commands;

/// `custom bench scaled-copy`: keeps an N-times copy of a split as an AudioSet folder, for measuring training on larger
/// splits (e.g. `custom train --train-split unbal_train --budget 15m`).
internal static class ScaledCopyCommand
{
    public static Command Create(CliContext context)
    {
        var common = new CommonOptions();
        var split = new Option<string>("--split", "-s") { Description = "The split to copy", DefaultValueFactory = _ => "bal_train" };
        var scale = new Option<int>("--scale") { Description = "Copies of the split's records to write (at least 1)", Required = true };
        var name = new Option<string>("--as")
        {
            Description = $"Split folder name of the copy in the output folder ({string.Join(", ", AudioSetFolder.KnownSplits)})",
            DefaultValueFactory = _ => "unbal_train",
        };
        var output = new Option<string>("--out", "-o") { Description = "New AudioSet folder to write (replaced as a whole, only on success)", Required = true, HelpName = "DIR" };
        var command = new Command("scaled-copy",
            "Write an AudioSet folder whose split --as holds --scale copies of --split's records (regrouped into files of about 32 MB, " +
            "with the writer of 'bench ingest --scale'), with links to the source folder's other splits and label list. " +
            "Every clip appears --scale times, so cross-validation on the copy scores clips a model was trained on: it measures time and memory, not quality.");
        foreach (var option in new Option[] { common.Data, split, scale, name, output, common.Force })
        {
            command.Options.Add(option);
        }

        command.SetAction(result => CliApp.Guard(context, () =>
        {
            var folder = common.OpenFolder(result);
            string splitName = result.GetValue(split)!;
            string copyName = result.GetValue(name)!;
            int factor = result.GetValue(scale);
            if (factor < 1)
            {
                throw new InvalidInputException($"--scale must be at least 1, not {factor}");
            }

            if (!AudioSetFolder.KnownSplits.Contains(copyName))
            {
                throw new InvalidInputException($"--as '{copyName}': use one of {string.Join(", ", AudioSetFolder.KnownSplits)}");
            }

            var sources = folder.FilesOf(splitName);
            IReadOnlyList<string> files = [];
            OutputFolder.Replace(result.GetValue(output), folder.Inputs, result.GetValue(common.Force), staging =>
            {
                string target = Path.Combine(staging, copyName);
                Directory.CreateDirectory(target);
                files = ScaledCopy.Write(sources, factor, target);
                foreach (string other in folder.Splits.Where(s => s != copyName))
                {
                    Directory.CreateSymbolicLink(Path.Combine(staging, other), Path.GetFullPath(Path.Combine(folder.Root, other)));
                }

                if (File.Exists(folder.LabelsPath))
                {
                    File.CreateSymbolicLink(Path.Combine(staging, Path.GetFileName(folder.LabelsPath)), Path.GetFullPath(folder.LabelsPath));
                }
            });
            long bytes = files.Sum(f => new FileInfo(Path.Combine(result.GetValue(output)!, copyName, Path.GetFileName(f))).Length);
            context.Output.WriteLine($"wrote {result.GetValue(output)}/{copyName}/: {files.Count} files, {bytes / 1e6:N0} MB, {factor} copies of {splitName}");
            return 0;
        }));
        return command;
    }
}
