using Custom.Data;

namespace Custom.Evaluation;

/// <summary>
/// Compares a fresh run's score files with reference copies, figure by figure. Every trainer is seeded and
/// reproducible (single-threaded, or FastTree, whose threads give the same trees), so figures repeat bit for bit on one
/// machine. Left out: the manifest's <c>created_utc</c>,
/// and the SHA-256 of the model files (<c>files.*</c>) — model.zip holds timestamps, and both files change with the
/// last bit of any weight, which the figures themselves already cover.
/// </summary>
public static class Reproduction
{
    /// <summary>The files compared when present in the reference folder.</summary>
    public static IReadOnlyList<string> Files { get; } = ["metrics.json", "leaderboard.json", "class-distribution.json", "manifest.json"];

    private static readonly string[] Ignored = ["created_utc:", "files."];

    /// <summary>
    /// Differences between <paramref name="referenceDir"/> and <paramref name="actualDir"/>, each line prefixed with its
    /// file; empty when they agree. A reference folder without any of <see cref="Files"/> is an error.
    /// </summary>
    public static IReadOnlyList<string> Compare(string referenceDir, string actualDir, double tolerance = 0) =>
        Compare(referenceDir, [actualDir], tolerance);

    /// <summary>
    /// Like <see cref="Compare(string, string, double)"/> for a run whose files lie in several folders (the model
    /// package and the class-distribution report): each file is taken from the first of <paramref name="actualDirs"/>
    /// that has it.
    /// </summary>
    public static IReadOnlyList<string> Compare(string referenceDir, IReadOnlyList<string> actualDirs, double tolerance = 0)
    {
        var present = Files.Where(f => File.Exists(Path.Combine(referenceDir, f))).ToList();
        if (present.Count == 0)
        {
            throw new InvalidInputException($"{referenceDir}: no reference files ({string.Join(", ", Files)})");
        }

        var differences = new List<string>();
        foreach (string file in present)
        {
            string actual = actualDirs.Select(d => Path.Combine(d, file)).FirstOrDefault(File.Exists) ?? Path.Combine(actualDirs[0], file);
            if (!File.Exists(actual))
            {
                differences.Add($"{file}: missing from {string.Join(" and ", actualDirs)}");
                continue;
            }

            var diff = MetricsSnapshot.Diff(MetricsSnapshot.Load(Path.Combine(referenceDir, file)), MetricsSnapshot.Load(actual), tolerance);
            differences.AddRange(diff.Where(d => !Ignored.Any(d.StartsWith)).Select(d => $"{file}: {d}"));
        }

        return differences;
    }
}
