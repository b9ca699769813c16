namespace Custom.Data;

/// <summary>
/// Replaces a whole output folder in one step, so a failed or killed run never leaves a half-written folder, a mix of
/// two runs, or the only good copy under a hidden name.
/// </summary>
/// <remarks>
/// The new contents are written to <c>.NAME.ID.staging</c> beside the folder, then exchanged with the folder by one
/// <c>renameat2(RENAME_EXCHANGE)</c> call (Linux). Where the file system cannot exchange, the old folder is renamed to
/// <c>.NAME.ID.previous</c> first; if the run dies between the two renames, the next run moves it back. Runs writing
/// the same folder take turns through a lock file <c>.NAME.lock</c> beside it (kept: deleting a lock file races with
/// the next run opening it); while holding it, a run deletes the
/// staging folders that killed runs left behind. Every folder written holds a <see cref="MarkerFile"/>, by which
/// <see cref="OutputFolder"/> recognizes folders the program owns.
/// </remarks>
public static class AtomicDirectory
{
    /// <summary>The file that marks a folder as written (and replaceable) by this program.</summary>
    public const string MarkerFile = ".custom-output";

    private const string StagingSuffix = ".staging";
    private const string PreviousSuffix = ".previous";
    private static readonly TimeSpan LockWait = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Lets <paramref name="write"/> fill a fresh staging folder beside <paramref name="path"/>, then swaps it into
    /// place in one step. If <paramref name="write"/> throws, the staging folder is deleted and an existing folder at
    /// <paramref name="path"/> is left untouched. This does not check whether the folder may be replaced: see
    /// <see cref="OutputFolder.Replace"/>.
    /// </summary>
    /// <param name="path">The folder to replace or create.</param>
    /// <param name="write">Writes the complete new contents into the folder it is given.</param>
    /// <exception cref="IOException">Another run kept the folder locked for two minutes, or the file system failed.</exception>
    public static void Replace(string path, Action<string> write)
    {
        string target = Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar);
        string parent = Path.GetDirectoryName(target)!;
        string name = Path.GetFileName(target);
        Directory.CreateDirectory(parent);
        using var turn = TakeTurn(parent, name, target);
        Recover(parent, name, target);
        string staging = Path.Combine(parent, $".{name}.{Guid.NewGuid():N}{StagingSuffix}");
        Directory.CreateDirectory(staging);
        try
        {
            write(staging);
            File.WriteAllText(Path.Combine(staging, MarkerFile), "Written by custom; the next run replaces this folder as a whole.\n");
        }
        catch
        {
            DeleteQuietly(staging);
            throw;
        }

        Swap(staging, target, parent, name);
    }

    private static void Swap(string staging, string target, string parent, string name)
    {
        if (!Directory.Exists(target))
        {
            Directory.Move(staging, target);
            return;
        }

        if (FileSystemNative.TryExchange(staging, target))
        {
            // The staging name now holds the old folder; a kill before this delete leaves it to the next run's cleanup.
            DeleteQuietly(staging);
            return;
        }

        string previous = Path.Combine(parent, $".{name}.{Guid.NewGuid():N}{PreviousSuffix}");
        Directory.Move(target, previous);
        Directory.Move(staging, target);
        DeleteQuietly(previous);
    }

    /// Puts back an old folder that a killed run left hidden, and deletes staging folders of killed runs.
    private static void Recover(string parent, string name, string target)
    {
        var leftovers = Directory.EnumerateDirectories(parent)
            .Where(d => Path.GetFileName(d) is var n && n.StartsWith($".{name}.", StringComparison.Ordinal)
                && (n.EndsWith(StagingSuffix, StringComparison.Ordinal) || n.EndsWith(PreviousSuffix, StringComparison.Ordinal)))
            .ToList();
        var previous = leftovers.Where(d => d.EndsWith(PreviousSuffix, StringComparison.Ordinal)).ToList();
        if (!Directory.Exists(target) && previous.Count > 0)
        {
            string newest = previous.OrderByDescending(Directory.GetLastWriteTimeUtc).First();
            Directory.Move(newest, target);
            leftovers.Remove(newest);
        }

        foreach (string leftover in leftovers)
        {
            DeleteQuietly(leftover);
        }
    }

    private static FileStream TakeTurn(string parent, string name, string target)
    {
        string lockPath = Path.Combine(parent, $".{name}.lock");
        var deadline = DateTime.UtcNow + LockWait;
        while (true)
        {
            try
            {
                return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(100);
            }
            catch (IOException e)
            {
                throw new IOException($"{target}: another run has been writing this folder for {LockWait.TotalMinutes:0} minutes ({lockPath} is locked)", e);
            }
        }
    }

    private static void DeleteQuietly(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover staging or previous folder is deleted by the next run (see Recover).
        }
    }
}
