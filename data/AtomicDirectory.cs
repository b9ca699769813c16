namespace Custom.Data;

/// <summary>Replaces a whole output folder at once, so a failed run never leaves a half-written one.</summary>
public static class AtomicDirectory
{
    /// <summary>
    /// Lets <paramref name="write"/> fill a fresh staging folder beside <paramref name="path"/>, then swaps it into
    /// place with two renames. If <paramref name="write"/> throws, the staging folder is deleted and an existing
    /// folder at <paramref name="path"/> is left untouched.
    /// </summary>
    public static void Replace(string path, Action<string> write)
    {
        string target = Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar);
        string parent = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(parent);
        string staging = Path.Combine(parent, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.staging");
        Directory.CreateDirectory(staging);
        try
        {
            write(staging);
        }
        catch
        {
            Directory.Delete(staging, recursive: true);
            throw;
        }

        string? previous = null;
        if (Directory.Exists(target))
        {
            previous = Path.Combine(parent, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.previous");
            Directory.Move(target, previous);
        }

        Directory.Move(staging, target);
        if (previous is not null)
        {
            Directory.Delete(previous, recursive: true);
        }
    }
}
