using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Custom.Data;
using Custom.Data.AudioSet;
using Custom.Data.TfRecords;
using Custom.Inference;
using Custom.Tests.Support;
using Xunit.Abstractions;

namespace Custom.Tests.Cli;

/// Real records and a package, damaged many ways by a seeded generator, fed to every command: each run ends with
/// exit 0 or 2, prints no stack trace, and changes no file outside its --out.
[Trait("Category", "Dataset")]
public sealed class RandomDamageTests : IClassFixture<TinyPackageFixture>, IDisposable
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(20);
    private const int MinimumCases = 30;

    private readonly TinyPackageFixture _package;
    private readonly TempFolder _temp = new();
    private readonly Random _random = new(1414);
    private readonly ITestOutputHelper _output;

    public RandomDamageTests(TinyPackageFixture package, ITestOutputHelper output)
    {
        _package = package;
        _output = output;
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Damaged_records_and_packages_end_in_exit_0_or_2_without_traces_or_side_effects()
    {
        var clock = Stopwatch.StartNew();
        var log = new List<string>();
        int cases = 0;
        while (cases < MinimumCases || clock.Elapsed < Budget)
        {
            string root = _temp.Folder($"case{cases:000}");
            string data = CopyRealData(root);
            string package = CopyPackage(root);
            string outDir = Path.Combine(root, "out");
            var (args, split, usesPackage) = Command(data, package, outDir);
            // Damage what the command reads: its split's records, or the package.
            string damage = usesPackage && _random.Next(2) == 0 ? DamagePackage(package) : DamageData(Path.Combine(data, split));
            var before = Snapshot(root, outDir);
            var (exit, output, error) = CliRunner.Run(args);
            string what = $"case {cases}: {damage}; custom {string.Join(' ', args)} → exit {exit}: {error.Trim()}";
            log.Add(what);
            _output.WriteLine(what);
            Assert.True(exit is 0 or 2, what);
            Assert.DoesNotContain("   at ", error + output);
            Assert.DoesNotContain("internal error", error);
            if (exit == 2)
            {
                Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("custom: error: ", StringComparison.Ordinal));
            }

            var after = Snapshot(root, outDir);
            Assert.True(before.Count == after.Count && before.All(kv => after.TryGetValue(kv.Key, out var v) && v == kv.Value), $"{what}: a file outside --out changed");
            cases++;
        }

        // Both outcomes occur: the damage is sometimes harmless (or skipped) and sometimes refused.
        Assert.Contains(log, l => l.Contains("→ exit 0"));
        Assert.Contains(log, l => l.Contains("→ exit 2"));
    }

    private string CopyRealData(string root)
    {
        string data = Path.Combine(root, "audioset");
        foreach (var (split, count) in new[] { ("bal_train", 3), ("eval", 2) })
        {
            string folder = Directory.CreateDirectory(Path.Combine(data, split)).FullName;
            foreach (string file in AudioSetData.Folder.FilesOf(split).Skip(_random.Next(40)).Take(count))
            {
                string copy = Path.Combine(folder, Path.GetFileName(file));
                File.Copy(file, copy);
                File.SetAttributes(copy, FileAttributes.Normal); // the shared copies are read-only
            }
        }

        return data;
    }

    private string CopyPackage(string root)
    {
        string package = Directory.CreateDirectory(Path.Combine(root, "package")).FullName;
        foreach (string file in Directory.GetFiles(_package.Directory))
        {
            File.Copy(file, Path.Combine(package, Path.GetFileName(file)));
        }

        return package;
    }

    private (string[] Args, string Split, bool UsesPackage) Command(string data, string package, string outDir)
    {
        string corrupt = _random.Next(2) == 0 ? "fail" : "skip";
        string split = _random.Next(2) == 0 ? "bal_train" : "eval";
        return _random.Next(7) switch
        {
            0 => (["report", "--data", data, "--out", outDir, "--on-corrupt", corrupt, "-j", "1"], split, false),
            1 => (["filter", "--data", data, "--split", split, "--out", Path.Combine(outDir, "f.tfrecord"), "--on-corrupt", corrupt], split, false),
            2 => (["predict", "--model", package, "--input", Path.Combine(data, split), "--on-corrupt", corrupt], split, true),
            3 => (["evaluate", "--data", data, "--model", package, "--split", split, "--out", Path.Combine(outDir, "m.json"), "--on-corrupt", corrupt, "-j", "1"], split, true),
            4 => (["evaluate", "--data", data, "--model", Path.Combine(package, PackageContract.ModelZipFile), "--split", split, "--on-corrupt", corrupt, "-j", "1"], split, true),
            5 => (["train", "--data", data, "--out", outDir, "--trainers", "lbfgs-maxent", "--features", "mean", "--folds", "2", "--no-weighted", "--on-corrupt", corrupt, "-j", "1"], split, false),
            _ => (["predict", "--model", package, "--input", Path.Combine(data, split, "*.tfrecord"), "--on-corrupt", corrupt], split, true),
        };
    }

    private string DamageData(string split)
    {
        var files = Directory.GetFiles(split, "*.tfrecord").Order(StringComparer.Ordinal).ToArray();
        string file = files[_random.Next(files.Length)];
        string name = Path.GetRelativePath(Path.GetDirectoryName(split)!, file);
        var bytes = File.ReadAllBytes(file);
        switch (_random.Next(12))
        {
            case 0:
                int flips = 1 + _random.Next(8);
                for (int i = 0; i < flips; i++)
                {
                    bytes[_random.Next(bytes.Length)] ^= (byte)(1 << _random.Next(8));
                }

                File.WriteAllBytes(file, bytes);
                return $"{flips} bit flips in {name}";
            case 1:
                int keep = _random.Next(bytes.Length);
                File.WriteAllBytes(file, bytes[..keep]);
                return $"{name} cut to {keep} bytes";
            case 2:
                var garbage = new byte[_random.Next(1, 64)];
                _random.NextBytes(garbage);
                File.WriteAllBytes(file, [.. bytes, .. garbage]);
                return $"{garbage.Length} garbage bytes after {name}";
            case 3:
                ulong length = _random.Next(3) switch { 0 => 1UL << 31, 1 => 1_500_000_000UL, _ => (ulong)_random.NextInt64() };
                TfRecordFormat.WriteHeader(bytes, length); // a valid length CRC: only the limits can stop it
                File.WriteAllBytes(file, bytes);
                return $"{name}: first record declares {length} bytes";
            case 4:
                File.Delete(file);
                Process.Start("mkfifo", [file])!.WaitForExit();
                return $"{name} replaced by a FIFO";
            case 5:
                File.Delete(file);
                File.CreateSymbolicLink(file, "/dev/zero");
                return $"{name} replaced by a link to /dev/zero";
            case 6:
                File.Delete(file);
                Directory.CreateDirectory(file);
                return $"{name} replaced by a folder";
            case 7:
                File.WriteAllBytes(file, []);
                return $"{name} emptied";
            default:
                var odd = OddClip(out string words);
                using (var stream = new FileStream(file, FileMode.Append))
                using (var writer = new TfRecordWriter(stream))
                {
                    writer.Write(odd.ToRecord());
                }

                return $"{name}: a clip with {words} appended";
        }
    }

    private AudioSetClip OddClip(out string words)
    {
        var real = AudioSetData.Folder.FilesOf("eval").Take(1).SelectMany(f => Custom.Data.Ingest.AudioSetIngest.ReadClips([f])).First();
        int frames = _random.Next(4) switch { 0 => 11, 1 => 1000, 2 => 1, _ => 10 };
        float start = _random.Next(4) switch { 0 => float.NaN, 1 => float.PositiveInfinity, 2 => -1e30f, _ => real.StartTimeSeconds };
        int[] labels = _random.Next(3) switch { 0 => [.. real.Labels, 527], 1 => [int.MaxValue], _ => [.. real.Labels] };
        var bytes = new byte[frames * AudioSetClip.FrameSize];
        _random.NextBytes(bytes);
        words = $"{frames} frames, start {start}, labels {string.Join(',', labels)}";
        return new AudioSetClip(real.VideoId, start, start + 10, labels, bytes);
    }

    private string DamagePackage(string package)
    {
        var files = Directory.GetFiles(package).Order(StringComparer.Ordinal).ToArray();
        string file = files[_random.Next(files.Length)];
        string name = Path.GetFileName(file);
        switch (_random.Next(6))
        {
            case 0:
                var bytes = File.ReadAllBytes(file);
                bytes[_random.Next(bytes.Length)] ^= 0x10;
                File.WriteAllBytes(file, bytes);
                return $"a bit flip in {name}";
            case 1:
                File.Delete(file);
                return $"{name} deleted";
            case 2:
                File.Delete(file);
                if (_random.Next(2) == 0)
                {
                    Process.Start("mkfifo", [file])!.WaitForExit();
                    return $"{name} replaced by a FIFO";
                }

                File.CreateSymbolicLink(file, "/dev/zero");
                return $"{name} replaced by a link to /dev/zero";
            default:
                return EditManifest(Path.Combine(package, PackageContract.ManifestFile));
        }
    }

    private string EditManifest(string path)
    {
        var manifest = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        JsonNode?[] values = ["../../x/evil.onnx", "/etc/passwd", "", 2, -1, null, new JsonArray(), "Speech", 1e300, "frames"];
        string[] places = ["schema_version", "onnx.file", "onnx.frames_input", "onnx.probabilities_output", "classes.0.name", "classes.3", "files", "classes", "onnx", "files.model.zip"];
        string place = places[_random.Next(places.Length)];
        var value = values[_random.Next(values.Length)]?.DeepClone();
        var parts = place.Split('.', 2);
        JsonNode target = manifest;
        if (parts.Length == 2 && parts[0] == "classes" && target["classes"] is JsonArray classes)
        {
            var rest = parts[1].Split('.');
            int index = int.Parse(rest[0]);
            if (rest.Length == 1)
            {
                classes[index] = value;
            }
            else
            {
                classes[index]![rest[1]] = value;
            }
        }
        else if (parts.Length == 2 && target[parts[0]] is JsonObject inner)
        {
            inner[parts[1]] = value;
        }
        else
        {
            manifest[parts[0]] = value;
        }

        File.WriteAllText(path, manifest.ToJsonString());
        return $"manifest {place} set to {value?.ToJsonString() ?? "null"}";
    }

    /// Every file under the case folder except the output, by content; links and special files by what they are,
    /// never opened (a FIFO or /dev/zero would block or never end).
    private static Dictionary<string, string> Snapshot(string root, string outDir)
    {
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string path in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories))
        {
            if (path == outDir || path.StartsWith(outDir + Path.DirectorySeparatorChar, StringComparison.Ordinal) || Path.GetFileName(path) == ".out.lock")
            {
                continue;
            }

            var info = new FileInfo(path);
            entries[path] = info.LinkTarget is { } target ? "link " + target
                : Directory.Exists(path) ? "folder"
                : FileSystemNative.KindOf(path) == FileSystemNative.Kind.Regular ? Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)))
                : "special";
        }

        return entries;
    }
}
