namespace Custom.Data.Ingest;

/// <summary>
/// Where the AudioSet embeddings are: the one rule the command line, the Cake build and the tests follow.
/// In order: the folder given (<c>--data</c>), <c>$CUSTOM_AUDIOSET</c>, the default data folder
/// (<see cref="DefaultFolder"/>, where <c>custom data fetch</c> puts it) when it holds a split, and
/// <c>../shared/audioset</c> beside the working folder or the program (or any parent of them) when that exists.
/// </summary>
public static class AudioSetLocator
{
    /// <summary>The environment variable that points at the AudioSet folder when <c>--data</c> is not given.</summary>
    public const string EnvironmentVariable = "CUSTOM_AUDIOSET";

    /// <summary>How to get the data, for messages shown when it is missing.</summary>
    public const string HowToGet =
        "get AudioSet's embeddings with 'custom data fetch' (a download of about 2 GB; bal_train and eval take 78 MB), " +
        "or point --data or " + EnvironmentVariable + " at a folder holding bal_train/ and eval/";

    /// <summary>
    /// The default data folder: <c>custom/audioset</c> under the user's local data folder
    /// (<c>$XDG_DATA_HOME</c> or <c>~/.local/share</c> on Linux, <c>%LOCALAPPDATA%</c> on Windows).
    /// </summary>
    public static string DefaultFolder =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "custom", "audioset");

    /// <summary>The folder to read, following the order above; the default data folder when nothing is found.</summary>
    /// <param name="given">The folder named by the user, or null.</param>
    /// <returns>A path, which may not exist.</returns>
    public static string Resolve(string? given = null)
    {
        if (!string.IsNullOrWhiteSpace(given))
        {
            return given;
        }

        string? fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return fromEnvironment;
        }

        if (HoldsSplit(DefaultFolder))
        {
            return DefaultFolder;
        }

        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string sibling = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "audioset"));
                if (HoldsSplit(sibling))
                {
                    return sibling;
                }
            }
        }

        return DefaultFolder;
    }

    /// <summary>Opens the folder <see cref="Resolve"/> finds.</summary>
    /// <param name="given">The folder named by the user, or null.</param>
    /// <returns>The opened folder.</returns>
    /// <exception cref="InvalidInputException">The folder is missing or holds no split; the message says how to get the data.</exception>
    public static AudioSetFolder Open(string? given = null)
    {
        string root = Resolve(given);
        try
        {
            return AudioSetFolder.Open(root);
        }
        catch (InvalidInputException e) when (!File.Exists(root))
        {
            throw new InvalidInputException($"{e.Message}: {HowToGet}", e);
        }
    }

    private static bool HoldsSplit(string folder) =>
        AudioSetFolder.KnownSplits.Any(split => Directory.Exists(Path.Combine(folder, split)));
}
