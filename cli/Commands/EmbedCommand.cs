using System.CommandLine;
using Custom.Data;
using Custom.Data.AudioSet;
using Custom.Data.Ingest;
using Custom.Data.Selection;
using Custom.Data.TfRecords;

namespace Custom.Cli.Commands;

/// `custom embed`: sound files → AudioSet TFRecord (one SequenceExample per 10-second window), readable by every
/// command that reads AudioSet.
internal static class EmbedCommand
{
    private static readonly string[] AudioExtensions =
        [".wav", ".wave", ".flac", ".mp3", ".ogg", ".oga", ".opus", ".webm", ".m4a", ".mp4", ".aac", ".wma", ".aif", ".aiff"];

    public static Command Create(CliContext context)
    {
        var audio = new AudioOptions();
        audio.Vggish.Required = true;
        var common = new CommonOptions();
        var input = new Option<string>("--input", "-i") { Description = "A sound file, or a folder of them (by extension: " + string.Join(' ', AudioExtensions) + ")", Required = true, HelpName = "FILE|DIR" };
        var output = new Option<string>("--out", "-o") { Description = "TFRecord file to write (replaced only when every input succeeded)", Required = true, HelpName = "OUT.tfrecord" };
        var labels = new Option<string[]>("--label")
        {
            Description = "Label every window with these classes (name, AudioSet index or MID; names beyond the ten urban classes are looked up in the data folder's class_labels_indices.csv)",
            AllowMultipleArgumentsPerToken = true,
            HelpName = "NAME",
        };
        var command = new Command("embed",
            "Embed sound files as AudioSet does (VGGish → PCA → 8 bits) and write one SequenceExample per 10-second window: " +
            "video_id = file name without extension, start/end seconds, labels, one 128-byte frame per 0.96 s.");
        audio.AddTo(command);
        command.Options.Add(input);
        command.Options.Add(output);
        command.Options.Add(labels);
        command.Options.Add(common.Data);
        command.SetAction(result => CliApp.Guard(context, () =>
        {
            var files = ResolveFiles(result.GetValue(input)!);
            int[] labelIndices = ResolveLabels(result.GetValue(labels) ?? [], result.GetValue(common.Data));
            using var embedder = audio.Load(result);
            var clips = new List<AudioSetClip>();
            foreach (string file in files)
            {
                string videoId = Path.GetFileNameWithoutExtension(file);
                foreach (var window in AudioOptions.EmbedFile(embedder, file))
                {
                    clips.Add(new AudioSetClip(videoId, (float)window.StartSeconds, (float)window.EndSeconds, labelIndices, window.Frames));
                }
            }

            string target = result.GetValue(output)!;
            AtomicFile.Write(target, stream =>
            {
                using var writer = new TfRecordWriter(stream, leaveOpen: true);
                foreach (var clip in clips)
                {
                    clip.WriteTo(writer);
                }
            });
            context.Output.WriteLine($"{clips.Count} windows from {files.Count} file(s) → {target}");
            return 0;
        }));
        return command;
    }

    private static IReadOnlyList<string> ResolveFiles(string input)
    {
        if (File.Exists(input))
        {
            return [input];
        }

        if (!Directory.Exists(input))
        {
            throw new InvalidInputException($"{input}: no such file or folder");
        }

        var files = Directory.EnumerateFiles(input)
            .Where(f => AudioExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Order(StringComparer.Ordinal)
            .ToList();
        return files.Count > 0 ? files : throw new InvalidInputException($"{input}: no sound files ({string.Join(' ', AudioExtensions)})");
    }

    private static int[] ResolveLabels(string[] names, string? dataFolder)
    {
        if (names.Length == 0)
        {
            return [];
        }

        LabelCatalog? catalog = null;
        string root = dataFolder ?? AudioSetFolder.DefaultRoot();
        string labelsFile = Path.Combine(root, "class_labels_indices.csv");
        if (File.Exists(labelsFile))
        {
            catalog = LabelCatalog.Load(labelsFile);
        }

        return ClassSet.Resolve(names, catalog).Select(c => c.Index).Distinct().ToArray();
    }
}
