using Custom.Tests.Support;

namespace Custom.Tests.Notebooks;

/// The local NuGet feed the notebooks reference (artifacts/feed): the libraries packed from this build by the Cake
/// `Feed` target, the one place that says what the feed holds.
internal static class LocalFeed
{
    public const string Version = "0.1.0";

    private static readonly Lazy<string> Packed = new(Pack);

    public static string Folder => Packed.Value;

    private static string Pack()
    {
        // --exclusive: only the Feed target, not the Build it depends on (this test assembly's build made the libraries).
        // The target also drops NuGet's cached copies, which would otherwise hide a package packed again.
        var (exit, output) = ProcessRunner.Run("dotnet", ["cake", "--target=Feed", "--exclusive", $"--configuration={Repository.Configuration}"],
            Repository.Root, TimeSpan.FromMinutes(10));
        Assert.True(exit == 0, $"dotnet cake --target=Feed failed:\n{output}");
        return Path.Combine(Repository.Root, "artifacts", "feed");
    }
}
