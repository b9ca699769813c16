namespace Custom.Tests.Support;

/// Paths of the repository the tests were built from.
internal static class Repository
{
    public static string Root { get; } = Find();

    public static string Notebooks => Path.Combine(Root, "notebooks");

    /// Where a test saves the screenshot <paramref name="name"/>: artifacts/screenshots, not tracked, so that a test run
    /// leaves the working tree as it found it.
    public static string Screenshot(string name) =>
        Path.Combine(Directory.CreateDirectory(Path.Combine(Root, "artifacts", "screenshots")).FullName, name);

    /// The build configuration of this test assembly (bin/&lt;Configuration&gt;/net10.0), so packing needs no rebuild.
    public static string Configuration => new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Custom.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Custom.sln not found above the test output");
    }
}
