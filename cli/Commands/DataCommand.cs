using System.CommandLine;
using Custom.Data.Fetch;
using Custom.Data.Ingest;

namespace Custom.Cli.Commands;

/// `custom data fetch`: gets AudioSet's embeddings into the data folder the other commands read.
internal static class DataCommand
{
    public static Command Create(CliContext context)
    {
        var dest = new Option<string>("--dest")
        {
            Description = $"Data folder to fill [default: ${AudioSetLocator.EnvironmentVariable}, else {AudioSetLocator.DefaultFolder}]",
            HelpName = "DIR",
        };
        var splits = new Option<string[]>("--splits")
        {
            Description = $"Splits to extract: {string.Join(", ", AudioSetFolder.KnownSplits)} [default: bal_train,eval]",
            AllowMultipleArgumentsPerToken = true,
            HelpName = "SPLIT",
        };
        var url = new Option<string>("--url")
        {
            Description = "The features archive (a mirror of Google's, e.g. under eu_audioset or asia_audioset)",
            DefaultValueFactory = _ => PublishedFeatures.ArchiveUrl.ToString(),
            HelpName = "URL",
        };
        var labelsUrl = new Option<string>("--labels-url")
        {
            Description = "The class list, fetched when the archive holds none",
            DefaultValueFactory = _ => PublishedFeatures.ClassListUrl.ToString(),
            HelpName = "URL",
        };
        var fetch = new Command("fetch",
            "Download Google's AudioSet embeddings archive (VGGish features, CC BY 4.0), extract the chosen splits and the class list, " +
            "and check each split against its published data fingerprint. An interrupted download resumes where it stopped; " +
            "existing data is replaced only once everything checks out.");
        foreach (var option in new Option[] { dest, splits, url, labelsUrl })
        {
            fetch.Options.Add(option);
        }

        fetch.SetAction(result => CliApp.Guard(context, () =>
        {
            var request = new FetchRequest
            {
                Destination = result.GetValue(dest) ?? DefaultDestination(),
                Splits = result.GetValue(splits) is { Length: > 0 } named
                    ? named.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList()
                    : new FetchRequest().Splits,
                ArchiveUrl = Url(result.GetValue(url)!, "--url"),
                ClassListUrl = Url(result.GetValue(labelsUrl)!, "--labels-url"),
            };
            var fetched = ProgressDisplay.Run(context, progress => AudioSetFetch.Run(request with { Progress = progress }));
            if (fetched.ResumedAt > 0)
            {
                context.Output.WriteLine($"resumed the download at byte {fetched.ResumedAt:N0}");
            }

            foreach (var split in fetched.Splits)
            {
                context.Output.WriteLine($"{split.Name}: {split.Files:N0} files, " + (split.Verified ? "data fingerprint verified" : "no published fingerprint recorded: not verified"));
            }

            context.Output.WriteLine($"wrote {fetched.Destination} ({string.Join("/, ", fetched.Splits.Select(s => s.Name))}/, {PublishedFeatures.ClassListFile})");
            return 0;
        }));
        return new Command("data", "Get the data: 'custom data fetch'.") { fetch };
    }

    // Where the other commands will look first: the configured folder, else the default data folder.
    private static string DefaultDestination() =>
        Environment.GetEnvironmentVariable(AudioSetLocator.EnvironmentVariable) is { Length: > 0 } configured ? configured : AudioSetLocator.DefaultFolder;

    private static Uri Url(string value, string option) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new Custom.Data.InvalidInputException($"{option}: '{value}' is not an http(s) URL");
}
