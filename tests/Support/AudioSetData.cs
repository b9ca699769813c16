using Custom.Data.Ingest;

namespace Custom.Tests.Support;

/// The real AudioSet folder, found as the CLI finds it (AudioSetLocator). Tests that use it carry
/// [Trait("Category", "Dataset")]; without the data they fail with a message that says how to get it.
public static class AudioSetData
{
    public static string Root => AudioSetLocator.Open().Root;

    public static AudioSetFolder Folder => AudioSetLocator.Open();
}
