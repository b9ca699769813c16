using System.CommandLine;
using Custom.Data;
using Custom.Data.Ingest;
using Custom.Data.Selection;
using Custom.Data.TfRecords;

namespace Custom.Cli.Commands;

/// Options shared by the data commands, built fresh for each command so each owns its instances.
internal sealed class CommonOptions
{
    public Option<string?> Data { get; } = new("--data", "-d")
    {
        Description = $"AudioSet folder holding bal_train/, eval/ (and unbal_train/) of .tfrecord files [default: ${AudioSetLocator.EnvironmentVariable}, else {AudioSetLocator.DefaultFolder}, else ../shared/audioset when present]",
        HelpName = "DIR",
    };

    public Option<string[]> Classes { get; } = new("--classes")
    {
        Description = "Classes to select, by name, AudioSet index or MID, in label order [default: the ten urban classes]",
        AllowMultipleArgumentsPerToken = true,
        HelpName = "NAME|INDEX",
    };

    public Option<string> Policy { get; } = new Option<string>("--policy")
    {
        Description = "exactly-one: keep clips with exactly one selected label; first-listed: keep any, the first listed class wins",
        DefaultValueFactory = _ => SelectionPolicy.ExactlyOne.ToName(),
    }.AcceptOnlyFromAmongNames(SelectionPolicyNames.All);

    public Option<string> OnCorrupt { get; } = new Option<string>("--on-corrupt")
    {
        Description = "fail: stop at the first corrupt record; skip: skip it, count it as records_skipped, go on",
        DefaultValueFactory = _ => "fail",
    }.AcceptOnlyFromAmongNames(["fail", "skip"]);

    public Option<int> Threads { get; } = new("--threads", "-j")
    {
        Description = "Files read at once (results do not depend on it)",
        DefaultValueFactory = _ => Environment.ProcessorCount,
    };

    public Option<bool> NoCrc { get; } = new("--no-crc")
    {
        Description = "Skip the CRC32C checks (faster, but damage goes unnoticed)",
    };

    public Option<bool> Force { get; } = new("--force")
    {
        Description = "Replace the --out folder even if it holds files this program did not write (never an input, the current or home folder)",
    };

    public void AddTo(Command command, bool selection = true)
    {
        command.Options.Add(Data);
        if (selection)
        {
            command.Options.Add(Classes);
            command.Options.Add(Policy);
        }

        command.Options.Add(OnCorrupt);
        command.Options.Add(Threads);
        command.Options.Add(NoCrc);
    }

    public AudioSetFolder OpenFolder(ParseResult result) =>
        AudioSetLocator.Open(result.GetValue(Data));

    public ClipSelector Selector(ParseResult result, AudioSetFolder folder)
    {
        var names = result.GetValue(Classes) ?? [];
        var classes = names.Length == 0 ? ClassSet.Default : ClassSet.Resolve(names, folder.Catalog);
        return new ClipSelector(classes, PolicyOf(result));
    }

    public SelectionPolicy PolicyOf(ParseResult result) => SelectionPolicyNames.Parse(result.GetValue(Policy)!);

    public IngestOptions Ingest(ParseResult result)
    {
        int threads = result.GetValue(Threads);
        if (threads < 1)
        {
            throw new InvalidInputException($"--threads must be at least 1, not {threads}");
        }

        return new IngestOptions
        {
            Threads = threads,
            VerifyCrc = !result.GetValue(NoCrc),
            OnCorrupt = CorruptionPolicy(result),
        };
    }

    public Custom.Data.TfRecords.OnCorrupt CorruptionPolicy(ParseResult result) =>
        result.GetValue(OnCorrupt) == "skip" ? Custom.Data.TfRecords.OnCorrupt.Skip : Custom.Data.TfRecords.OnCorrupt.Fail;
}

internal static class OptionExtensions
{
    public static Option<string> AcceptOnlyFromAmongNames(this Option<string> option, IReadOnlyList<string> names)
    {
        option.AcceptOnlyFromAmong(names.ToArray());
        return option;
    }
}
