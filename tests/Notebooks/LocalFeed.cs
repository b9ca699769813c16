namespace Custom.Tests.Notebooks;

/// The local NuGet feed the notebooks reference (artifacts/feed): the four libraries packed from this build, as
/// `dotnet cake --target=Feed` makes it.
internal static class LocalFeed
{
    public const string Version = "0.1.0";

    public static readonly string[] Projects =
        ["data/Custom.Data.csproj", "evaluation/Custom.Evaluation.csproj", "training/Custom.Training.csproj", "inference/Custom.Inference.csproj"];

    private static readonly Lazy<string> Packed = new(Pack);

    public static string Folder => Packed.Value;

    private static string Pack()
    {
        string feed = Path.Combine(Repository.Root, "artifacts", "feed");
        foreach (string project in Projects)
        {
            var (exit, output) = ProcessRunner.Run("dotnet", ["pack", project, "-c", Repository.Configuration, "--no-build", "-o", feed],
                Repository.Root, TimeSpan.FromMinutes(5));
            Assert.True(exit == 0, $"dotnet pack {project} failed:\n{output}");
        }

        // NuGet resolves Name/Version from its global packages folder first, so a package packed again under the same
        // version would not be seen: drop the cached copies.
        string cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                       ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (string project in Projects)
        {
            string cached = Path.Combine(cache, Path.GetFileNameWithoutExtension(project).ToLowerInvariant(), Version);
            if (Directory.Exists(cached))
            {
                Directory.Delete(cached, recursive: true);
            }
        }

        return feed;
    }
}
