using Custom.Data.Ingest;

namespace Custom.Tests.Support;

/// Locates the real AudioSet folder: $CUSTOM_AUDIOSET, else ../shared/audioset beside the repository.
public static class AudioSetData
{
    private static readonly Lazy<string> LazyRoot = new(Locate);

    public static string Root => LazyRoot.Value;

    public static AudioSetFolder Folder => AudioSetFolder.Open(Root);

    private static string Locate()
    {
        string? configured = Environment.GetEnvironmentVariable(AudioSetFolder.EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "..", "shared", "audioset");
            if (Directory.Exists(Path.Combine(candidate, "bal_train")))
            {
                return Path.GetFullPath(candidate);
            }
        }

        throw new InvalidOperationException(
            $"The AudioSet data was not found: set {AudioSetFolder.EnvironmentVariable} or place it at ../shared/audioset beside the repository.");
    }
}
