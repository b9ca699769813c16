using System.Diagnostics;
using System.Text.Json;
using Custom.Data.AudioSet;
using Custom.Data.TfRecords;
using Custom.Inference;
using Custom.Tests.Support;

namespace Custom.Tests.Cli;

/// What `report` and `train` accept, `predict` and `evaluate` handle the same way; data that misleads is warned about.
public sealed class ClipHandlingCommandTests : IClassFixture<TinyPackageFixture>, IDisposable
{
    private readonly TinyPackageFixture _package;
    private readonly TempFolder _temp = new();

    public ClipHandlingCommandTests(TinyPackageFixture package) => _package = package;

    public void Dispose() => _temp.Dispose();

    private (int Exit, string Out, string Err) Predict(string input, params string[] more) =>
        CliRunner.Run(["predict", "--model", _package.Directory, "--input", input, .. more]);

    [Theory]
    [InlineData(11)]
    [InlineData(1000)]
    public void Long_clips_are_scored_on_their_first_ten_frames_by_predict_as_by_training(int frames)
    {
        var ten = TinyData.Clip("ten", 2, 10, 5);
        var longer = new AudioSetClip("long", 30f, 40f, ten.Labels, [.. ten.Frames.ToArray(), .. new byte[(frames - 10) * 128].Select((_, i) => (byte)i)]);
        string path = Fixtures.WriteClips(_temp.File("long.tfrecord"), ten, longer);
        var report = CliRunner.Run("report", "--data", Dataset(path), "--out", _temp.File("report"));
        Assert.True(report.Exit == 0, report.Err);
        var (exit, output, error) = Predict(path);
        Assert.True(exit == 0, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(2, lines.Length);
        Assert.Equal(lines[0].GetProperty("probabilities").ToString(), lines[1].GetProperty("probabilities").ToString());
    }

    private string Dataset(string file)
    {
        string root = _temp.Folder("data-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(root, "bal_train"));
        File.Copy(file, Path.Combine(root, "bal_train", Path.GetFileName(file)));
        return root;
    }

    [Fact]
    public void A_nan_start_time_is_an_error_naming_file_and_offset_or_skipped_never_a_crash()
    {
        var good = TinyData.Clip("good", 1, 10, 1);
        var bad = new AudioSetClip("bad", float.NaN, 10f, good.Labels, new byte[1280]);
        string path = Fixtures.WriteClips(_temp.File("nan.tfrecord"), good, bad);
        long offset = Fixtures.OffsetOf(1, good.ToRecord(), bad.ToRecord());
        string line = CliRunner.AssertOneLineError(Predict(path));
        Assert.Contains($"{path}: record 1 at byte offset {offset}: context feature 'start_time_seconds' is NaN", line);
        Assert.Contains("start_time_seconds' is NaN", CliRunner.AssertOneLineError(CliRunner.Run("report", "--data", Dataset(path), "--out", _temp.File("r"))));

        var skipped = Predict(path, "--on-corrupt", "skip");
        Assert.Equal(0, skipped.Exit);
        Assert.Single(skipped.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void A_record_length_of_two_gigabytes_with_a_valid_crc_is_an_error()
    {
        string path = _temp.File("huge.tfrecord");
        var header = new byte[TfRecordFormat.HeaderSize];
        TfRecordFormat.WriteHeader(header, 1UL << 31);
        using (var stream = File.Create(path))
        {
            stream.Write(header);
            stream.SetLength((1L << 31) + 64);
        }

        Assert.Contains("exceeds the 16777216-byte limit", CliRunner.AssertOneLineError(Predict(path)));
        Assert.Contains("exceeds the 16777216-byte limit", CliRunner.AssertOneLineError(CliRunner.Run("evaluate", "--data", Dataset(path), "--model", _package.Directory, "--split", "bal_train")));
    }

    [Fact]
    public void Predict_on_a_fifo_a_device_an_empty_folder_or_an_unmatched_glob_is_an_error()
    {
        string fifo = _temp.File("pipe.tfrecord");
        Process.Start("mkfifo", [fifo])!.WaitForExit();
        Assert.Contains("is not a regular file", CliRunner.AssertOneLineError(Predict(fifo)));
        Assert.Contains("is not a regular file", CliRunner.AssertOneLineError(Predict("/dev/zero")));
        string empty = _temp.Folder("empty");
        Assert.Contains("holds no .tfrecord files", CliRunner.AssertOneLineError(Predict(empty)));
        Assert.Contains("matches no files", CliRunner.AssertOneLineError(Predict(Path.Combine(empty, "*.tfrecord"))));
    }

    [Fact]
    public void Evaluate_from_model_zip_checks_its_hash()
    {
        string package = _package.Copy(_temp);
        string zip = Path.Combine(package, PackageContract.ModelZipFile);
        var bytes = File.ReadAllBytes(zip);
        bytes[^5] ^= 0x01;
        File.WriteAllBytes(zip, bytes);
        string data = TinyData.Dataset(_temp);
        Assert.Contains("does not match the manifest", CliRunner.AssertOneLineError(CliRunner.Run("evaluate", "--data", data, "--model", zip)));
    }

    [Fact]
    public void Train_warns_about_repeated_clips_and_eval_clips_in_the_training_split()
    {
        string data = TinyData.Dataset(_temp);
        var eval = AudioSetIngestClips(Path.Combine(data, "eval", "e.tfrecord"));
        // Copy eval's file into bal_train, as if the splits were mixed up.
        File.Copy(Path.Combine(data, "eval", "e.tfrecord"), Path.Combine(data, "bal_train", "e.tfrecord"));
        File.Copy(Path.Combine(data, "bal_train", "a.tfrecord"), Path.Combine(data, "bal_train", "a2.tfrecord"));
        var (exit, _, error) = CliRunner.Run("train", "--data", data, "--out", _temp.File("model"), "--trainers", "lbfgs-maxent", "--features", "mean", "--folds", "2", "--no-weighted", "-j", "1");
        Assert.True(exit == 0, error);
        var warnings = error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("custom: warning: ", StringComparison.Ordinal)).ToArray();
        Assert.Contains(warnings, w => w.Contains("bal_train: 30 clips appear more than once"));
        Assert.Contains(warnings, w => w.Contains($"{eval} clips of eval are also in bal_train"));
    }

    private static int AudioSetIngestClips(string file) => Custom.Data.Ingest.AudioSetIngest.ReadClips([file]).Count();

    [Fact]
    public void Report_warns_about_labels_outside_the_label_list()
    {
        var clips = new[] { TinyData.Clip("ok", 0, 3, 1), new AudioSetClip("odd", 0f, 10f, [527], new byte[128]) };
        string data = Dataset(Fixtures.WriteClips(_temp.File("labels.tfrecord"), clips));
        var (exit, _, error) = CliRunner.Run("report", "--data", data, "--out", _temp.File("r"));
        Assert.Equal(0, exit);
        Assert.Contains("custom: warning: bal_train: 1 clips carry labels outside the label list (up to 527; classes are 0 to 526)", error);
    }
}
