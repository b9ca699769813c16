using Custom.Data;
using Custom.Tests.Support;

namespace Custom.Tests.Data;

public sealed class OutputFolderTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static void Write(string folder, params string[] names)
    {
        foreach (string name in names)
        {
            File.WriteAllText(Path.Combine(folder, name), name);
        }
    }

    private static string[] Names(string folder) =>
        Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    [Theory]
    [InlineData(".")]
    [InlineData("./")]
    [InlineData("/")]
    [InlineData("")]
    [InlineData("   ")]
    public void The_current_folder_the_root_and_an_empty_path_are_refused_even_with_force(string path)
    {
        var error = Assert.Throws<InvalidInputException>(() => OutputFolder.Check(path, [], force: true));
        Assert.StartsWith("--out", error.Message);
    }

    [Fact]
    public void A_folder_holding_the_current_folder_is_refused()
    {
        string parent = Path.GetDirectoryName(Directory.GetCurrentDirectory())!;
        Assert.Contains("the current folder", Assert.Throws<InvalidInputException>(() => OutputFolder.Check(parent, [], force: true)).Message);
    }

    [Fact]
    public void A_folder_with_files_the_program_did_not_write_is_refused_unless_forced()
    {
        string folder = _temp.Folder("mine");
        Write(folder, "thesis.tex");
        var error = Assert.Throws<InvalidInputException>(() => OutputFolder.Replace(folder, [], force: false, staging => Write(staging, "model.zip")));
        Assert.Contains("holds files this program did not write (such as 'thesis.tex')", error.Message);
        Assert.Contains("--force", error.Message);
        Assert.Equal(["thesis.tex"], Names(folder));

        OutputFolder.Replace(folder, [], force: true, staging => Write(staging, "model.zip"));
        Assert.Equal([AtomicDirectory.MarkerFile, "model.zip"], Names(folder));
    }

    [Fact]
    public void New_empty_and_own_folders_are_replaced_as_a_whole()
    {
        string fresh = _temp.File("fresh");
        OutputFolder.Replace(fresh, [], force: false, staging => Write(staging, "a.json", "a.md"));
        Assert.Equal([AtomicDirectory.MarkerFile, "a.json", "a.md"], Names(fresh));

        // The program's own folder: replaced without --force, and the old set is gone entirely.
        OutputFolder.Replace(fresh, [], force: false, staging => Write(staging, "b.json"));
        Assert.Equal([AtomicDirectory.MarkerFile, "b.json"], Names(fresh));
        Assert.Equal([".fresh.lock", "fresh"], Names(_temp.Path)); // no staging or previous folder left beside it

        string empty = _temp.Folder("empty");
        OutputFolder.Replace(empty, [], force: false, staging => Write(staging, "c.json"));
        Assert.Equal([AtomicDirectory.MarkerFile, "c.json"], Names(empty));
    }

    [Fact]
    public void An_output_that_is_holds_or_lies_inside_an_input_is_refused_even_with_force()
    {
        string data = _temp.Folder("data");
        string split = Directory.CreateDirectory(Path.Combine(data, "bal_train")).FullName;
        string file = Path.Combine(split, "a.tfrecord");
        File.WriteAllText(file, "x");
        Assert.Contains("is or holds the input", Assert.Throws<InvalidInputException>(() => OutputFolder.Check(split, [split], force: true)).Message);
        Assert.Contains("is or holds the input", Assert.Throws<InvalidInputException>(() => OutputFolder.Check(data, [split], force: true)).Message);
        Assert.Contains("inside the input folder", Assert.Throws<InvalidInputException>(() => OutputFolder.Check(Path.Combine(split, "out"), [split], force: true)).Message);
        Assert.Contains("is or holds the input", Assert.Throws<InvalidInputException>(() => OutputFolder.CheckFile(file, [file])).Message);
        Assert.Contains("inside the input folder", Assert.Throws<InvalidInputException>(() => OutputFolder.CheckFile(Path.Combine(split, "new.tfrecord"), [split])).Message);
        Assert.Contains("is a folder", Assert.Throws<InvalidInputException>(() => OutputFolder.CheckFile(data, [])).Message);
        Assert.Equal("x", File.ReadAllText(file));
    }

    [Fact]
    public void A_failed_write_leaves_the_old_folder_and_no_staging()
    {
        string folder = _temp.File("out");
        OutputFolder.Replace(folder, [], false, staging => Write(staging, "old.json"));
        Assert.Throws<InvalidOperationException>(() => OutputFolder.Replace(folder, [], false, staging =>
        {
            Write(staging, "new.json");
            throw new InvalidOperationException("disk full");
        }));
        Assert.Equal([AtomicDirectory.MarkerFile, "old.json"], Names(folder));
        Assert.DoesNotContain(Names(_temp.Path), n => n.EndsWith(".staging", StringComparison.Ordinal));
    }

    [Fact]
    public void Staging_folders_of_killed_runs_are_cleaned_up()
    {
        string folder = _temp.File("out");
        OutputFolder.Replace(folder, [], false, staging => Write(staging, "old.json"));
        // What kill -9 during the write leaves: a half-written staging folder beside the intact old folder.
        string stale = Directory.CreateDirectory(Path.Combine(_temp.Path, $".out.{Guid.NewGuid():N}.staging")).FullName;
        Write(stale, "half.json");
        Assert.Equal([AtomicDirectory.MarkerFile, "old.json"], Names(folder));

        OutputFolder.Replace(folder, [], false, staging => Write(staging, "new.json"));
        Assert.False(Directory.Exists(stale));
        Assert.Equal([".out.lock", "out"], Names(_temp.Path));
    }

    [Fact]
    public void An_old_folder_left_hidden_by_a_killed_swap_is_put_back()
    {
        // What a kill between the two renames of a non-exchanging swap leaves: the only good copy under a hidden name.
        string folder = _temp.File("out");
        string hidden = Directory.CreateDirectory(Path.Combine(_temp.Path, $".out.{Guid.NewGuid():N}.previous")).FullName;
        Write(hidden, AtomicDirectory.MarkerFile, "good.json");

        // The next run first puts it back, so even if that run fails the folder is where the user expects it.
        Assert.Throws<InvalidOperationException>(() => OutputFolder.Replace(folder, [], false, _ => throw new InvalidOperationException("fails")));
        Assert.Equal([AtomicDirectory.MarkerFile, "good.json"], Names(folder));
        Assert.False(Directory.Exists(hidden));
    }

    [Fact]
    public void Concurrent_runs_each_leave_one_complete_set()
    {
        string folder = _temp.File("out");
        var sets = Enumerable.Range(0, 6).Select(i => new[] { $"{i}.json", $"{i}.md", $"{i}.html" }).ToArray();
        Parallel.For(0, sets.Length, new ParallelOptions { MaxDegreeOfParallelism = 3 }, i =>
            OutputFolder.Replace(folder, [], false, staging =>
            {
                Write(staging, sets[i][0], sets[i][1]);
                Thread.Sleep(20);
                Write(staging, sets[i][2]);
            }));
        var names = Names(folder).Where(n => n != AtomicDirectory.MarkerFile).ToArray();
        Assert.Contains(sets, set => set.Order(StringComparer.Ordinal).SequenceEqual(names));
        Assert.Equal([".out.lock", "out"], Names(_temp.Path));
    }
}
