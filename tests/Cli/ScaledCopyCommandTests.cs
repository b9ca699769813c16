using Custom.Data.Ingest;
using Custom.Tests.Support;

namespace Custom.Tests.Cli;

public sealed class ScaledCopyCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Scaled_copy_writes_n_copies_as_a_split_with_links_to_the_other_splits()
    {
        string data = TinyData.Dataset(_temp);
        string output = _temp.File("scaled");
        var (exit, stdout, stderr) = CliRunner.Run("bench", "scaled-copy", "--data", data, "--scale", "3", "--out", output);
        Assert.True(exit == 0, stderr);
        Assert.Contains("3 copies of bal_train", stdout);

        var source = AudioSetIngest.ReadClips(AudioSetIngest.ResolveFiles(Path.Combine(data, "bal_train"))).Select(c => c.VideoId).ToList();
        var copy = AudioSetIngest.ReadClips(AudioSetIngest.ResolveFiles(Path.Combine(output, "unbal_train"))).Select(c => c.VideoId).ToList();
        Assert.Equal(source.Concat(source).Concat(source), copy);

        // The other splits are links to the source's, so the copy is a complete AudioSet folder without copying them.
        var folder = AudioSetFolder.Open(output);
        Assert.Equal(["bal_train", "eval", "unbal_train"], folder.Splits);
        Assert.NotNull(new DirectoryInfo(Path.Combine(output, "eval")).LinkTarget);
        Assert.Equal(AudioSetFolder.Open(data).FilesOf("eval").Select(Path.GetFileName), folder.FilesOf("eval").Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("--scale", "0", "--scale must be at least 1, not 0")]
    [InlineData("--as", "train", "--as 'train': use one of bal_train, eval, unbal_train")]
    public void Bad_options_are_one_line_errors_and_write_nothing(string option, string value, string message)
    {
        string data = TinyData.Dataset(_temp);
        string output = _temp.File("scaled");
        var args = new List<string> { "bench", "scaled-copy", "--data", data, "--out", output, option, value };
        if (option != "--scale")
        {
            args.AddRange(["--scale", "2"]);
        }

        string line = CliRunner.AssertOneLineError(CliRunner.Run([.. args]));
        Assert.Equal($"custom: error: {message}", line);
        Assert.False(Directory.Exists(output));
    }
}
