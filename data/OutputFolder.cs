namespace Custom.Data;

/// <summary>
/// The rules for an output path a user names with <c>--out</c>: the program replaces only folders it wrote itself,
/// never an input, never the current folder, a file system root or the home folder.
/// </summary>
/// <remarks>
/// A folder is the program's when it is new, empty, or holds <see cref="AtomicDirectory.MarkerFile"/> (written into
/// every folder the program writes). Any other folder is refused unless the user passes <c>--force</c>; inputs, the
/// current folder, a root and the home folder are refused even then.
/// </remarks>
public static class OutputFolder
{
    /// <summary>
    /// Checks that <paramref name="path"/> may be replaced, then writes it in one step through
    /// <see cref="AtomicDirectory.Replace"/>.
    /// </summary>
    /// <param name="path">The <c>--out</c> folder.</param>
    /// <param name="inputs">Files and folders the command reads: the output may not be, contain or lie inside one.</param>
    /// <param name="force">Replace a folder that holds files the program did not write.</param>
    /// <param name="write">Writes the complete contents into the staging folder it is given.</param>
    /// <exception cref="InvalidInputException">The folder may not be replaced; the message says why.</exception>
    public static void Replace(string? path, IEnumerable<string> inputs, bool force, Action<string> write)
    {
        string target = Check(path, inputs, force);
        AtomicDirectory.Replace(target, write);
    }

    /// <summary>Returns the full path of an output folder that may be replaced, or throws with the reason.</summary>
    /// <param name="path">The <c>--out</c> folder.</param>
    /// <param name="inputs">Files and folders the command reads.</param>
    /// <param name="force">Accept a folder that holds files the program did not write.</param>
    /// <returns>The folder's full path.</returns>
    /// <exception cref="InvalidInputException">The folder may not be replaced; the message says why.</exception>
    public static string Check(string? path, IEnumerable<string> inputs, bool force)
    {
        string target = CheckPlace(path, inputs, "folder");
        switch (FileSystemNative.KindOf(target))
        {
            case FileSystemNative.Kind.Missing:
                return target;
            case FileSystemNative.Kind.Directory:
                break;
            default:
                throw new InvalidInputException($"--out {path}: is a file, not a folder");
        }

        if (!force && !File.Exists(Path.Combine(target, AtomicDirectory.MarkerFile)))
        {
            string? foreign = Directory.EnumerateFileSystemEntries(target).Select(Path.GetFileName).FirstOrDefault();
            if (foreign is not null)
            {
                throw new InvalidInputException($"--out {path}: the folder holds files this program did not write (such as '{foreign}'), " +
                    "and the output replaces the folder as a whole; name a new or empty folder, or pass --force to replace it");
            }
        }

        return target;
    }

    /// <summary>
    /// Checks an output file (written atomically beside itself): not empty, not a folder or device, not an input
    /// and not inside an input folder.
    /// </summary>
    /// <param name="path">The <c>--out</c> file.</param>
    /// <param name="inputs">Files and folders the command reads.</param>
    /// <returns>The file's full path.</returns>
    /// <exception cref="InvalidInputException">The file may not be written; the message says why.</exception>
    public static string CheckFile(string? path, IEnumerable<string> inputs)
    {
        string target = CheckPlace(path, inputs, "file");
        return FileSystemNative.KindOf(target) switch
        {
            FileSystemNative.Kind.Missing or FileSystemNative.Kind.Regular => target,
            FileSystemNative.Kind.Directory => throw new InvalidInputException($"--out {path}: is a folder; name the file to write"),
            _ => throw new InvalidInputException($"--out {path}: is not a regular file (a device, pipe or socket)"),
        };
    }

    private static string CheckPlace(string? path, IEnumerable<string> inputs, string what)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new InvalidInputException($"--out is empty; name the output {what}");
        }

        string target = Full(path);
        if (Path.GetDirectoryName(target) is null)
        {
            throw new InvalidInputException($"--out {path}: is the root of the file system");
        }

        foreach (var (place, label) in new[] { (Directory.GetCurrentDirectory(), "the current folder"), (Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), "the home folder") })
        {
            if (place.Length > 0 && IsSameOrInside(Full(place), target))
            {
                throw new InvalidInputException($"--out {path}: is or holds {label}, which the output would replace");
            }
        }

        var all = inputs.Select(i => (Given: i, Full: Full(i))).ToList();
        foreach (var input in all.Where(i => IsSameOrInside(i.Full, target)))
        {
            throw new InvalidInputException($"--out {path}: is or holds the input {input.Given}");
        }

        foreach (var input in all.Where(i => Directory.Exists(i.Full) && IsSameOrInside(target, i.Full)))
        {
            throw new InvalidInputException($"--out {path}: lies inside the input folder {input.Given}");
        }

        return target;
    }

    private static string Full(string path)
    {
        string full = Path.GetFullPath(path);
        string? root = Path.GetPathRoot(full);
        return full.Length > (root?.Length ?? 0) ? full.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar) : full;
    }

    /// True when <paramref name="path"/> is <paramref name="folder"/> or lies inside it.
    private static bool IsSameOrInside(string path, string folder)
    {
        var comparison = OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        if (string.Equals(path, folder, comparison))
        {
            return true;
        }

        string prefix = folder.EndsWith(Path.DirectorySeparatorChar) ? folder : folder + Path.DirectorySeparatorChar;
        return path.StartsWith(prefix, comparison);
    }
}
