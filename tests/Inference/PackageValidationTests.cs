using System.Diagnostics;
using System.Text.Json.Nodes;
using Custom.Inference;
using Custom.Tests.Support;

namespace Custom.Tests.Inference;

/// A package never loads anything from outside its folder, and refuses manifests it cannot trust, with the reason.
public sealed class PackageValidationTests : IClassFixture<TinyPackageFixture>, IDisposable
{
    private readonly TinyPackageFixture _package;
    private readonly TempFolder _temp = new();

    public PackageValidationTests(TinyPackageFixture package) => _package = package;

    public void Dispose() => _temp.Dispose();

    private string Edited(Action<JsonObject> edit)
    {
        string copy = _package.Copy(_temp);
        string path = Path.Combine(copy, PackageContract.ManifestFile);
        var manifest = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(manifest);
        File.WriteAllText(path, manifest.ToJsonString());
        return copy;
    }

    private static string Refusal(string package) => Assert.Throws<PackageException>(() => SoundClassifier.Load(package)).Message;

    [Fact]
    public void The_untouched_package_loads()
    {
        using var classifier = SoundClassifier.Load(_package.Copy(_temp));
        Assert.Equal(10, classifier.Classes.Count);
    }

    [Theory]
    [InlineData("../../x/evil.onnx")]
    [InlineData("/tmp/evil.onnx")]
    [InlineData("sub/model.onnx")]
    [InlineData("..")]
    public void An_onnx_file_outside_the_package_is_refused(string name)
    {
        // The outside file exists and its hash is listed, so only the name check can refuse it.
        string outside = _temp.File("evil.onnx");
        File.Copy(Path.Combine(_package.Directory, PackageContract.OnnxFile), outside);
        string package = Edited(m =>
        {
            m["onnx"]!["file"] = name;
            m["files"]![name] = m["files"]![PackageContract.OnnxFile]!.GetValue<string>();
        });
        Assert.Contains($"names '{name}', which is not a plain file name inside the package folder", Refusal(package));
    }

    [Fact]
    public void A_files_key_outside_the_package_is_refused()
    {
        string package = Edited(m => m["files"]!["../../etc/passwd"] = new string('0', 64));
        Assert.Contains("files names '../../etc/passwd'", Refusal(package));
    }

    [Fact]
    public async Task A_fifo_listed_as_a_package_file_is_refused_without_blocking()
    {
        string package = _package.Copy(_temp);
        string onnx = Path.Combine(package, PackageContract.ModelZipFile);
        File.Delete(onnx);
        Process.Start("mkfifo", [onnx])!.WaitForExit();
        var load = Task.Run(() => Refusal(package));
        string message = await load.WaitAsync(TimeSpan.FromSeconds(10)); // a TimeoutException if loading blocked
        Assert.Contains("is empty or not a regular file", message);
    }

    [Fact]
    public void A_link_to_a_device_or_an_outside_file_is_refused()
    {
        string package = _package.Copy(_temp);
        string zip = Path.Combine(package, PackageContract.ModelZipFile);
        File.Delete(zip);
        File.CreateSymbolicLink(zip, "/dev/zero");
        Assert.Contains("is a symbolic link", Refusal(package));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(0)]
    public void An_unknown_schema_version_is_refused(int version)
    {
        string package = Edited(m => m["schema_version"] = version);
        Assert.Contains($"schema_version {version}; this library reads version 1 only", Refusal(package));
        Assert.Contains("schema_version missing or not a whole number", Refusal(Edited(m => m.Remove("schema_version"))));
    }

    [Fact]
    public void Duplicate_classes_are_refused()
    {
        string package = Edited(m => m["classes"]![1]!["name"] = m["classes"]![0]!["name"]!.GetValue<string>());
        Assert.Contains("the class 'Speech' is listed more than once", Refusal(package));
    }

    [Fact]
    public void Renamed_or_reordered_classes_are_refused()
    {
        string renamed = Edited(m => m["classes"]![9]!["name"] = "Drill");
        Assert.Contains("are not the ones the model was trained with", Refusal(renamed));
        string swapped = Edited(m =>
        {
            string first = m["classes"]![0]!["name"]!.GetValue<string>();
            m["classes"]![0]!["name"] = m["classes"]![1]!["name"]!.GetValue<string>();
            m["classes"]![1]!["name"] = first;
        });
        Assert.Contains("renamed, reordered or from another model", Refusal(swapped));
    }

    [Theory]
    [InlineData("frames_input", "input 'pixels'")]
    [InlineData("frame_count_input", "input 'pixels'")]
    [InlineData("probabilities_output", "output 'pixels'")]
    public void Tensor_names_the_model_lacks_are_refused(string field, string words)
    {
        string package = Edited(m => m["onnx"]![field] = "pixels");
        Assert.Contains($"the model has no {words}, which the manifest names", Refusal(package));
    }

    [Fact]
    public void The_tensor_names_come_from_the_manifest()
    {
        // Reading them from the manifest means a package is used with the names it was written with.
        string package = _package.Copy(_temp);
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(package, PackageContract.ManifestFile)))!;
        Assert.Equal(PackageContract.FramesInput, manifest["onnx"]!["frames_input"]!.GetValue<string>());
        Assert.Equal(PackageContract.FrameCountInput, manifest["onnx"]!["frame_count_input"]!.GetValue<string>());
        Assert.Equal(PackageContract.ProbabilitiesOutput, manifest["onnx"]!["probabilities_output"]!.GetValue<string>());
        Assert.Equal(Custom.Training.Features.Featurizer.FrameSize, PackageContract.FrameSize);
        Assert.Equal(Custom.Data.AudioSet.AudioSetClip.FrameSize, PackageContract.FrameSize);
    }

    [Fact]
    public void A_changed_model_zip_is_refused_by_its_hash()
    {
        string package = _package.Copy(_temp);
        string zip = Path.Combine(package, PackageContract.ModelZipFile);
        var bytes = File.ReadAllBytes(zip);
        bytes[^5] ^= 0x01;
        File.WriteAllBytes(zip, bytes);
        Assert.Contains($"{zip}: SHA-256", Refusal(package));
        Assert.Contains("does not match the manifest", Assert.Throws<PackageException>(() => PackageCheck.Verify(package, PackageContract.ModelZipFile)).Message);
        string unlisted = Edited(m => m["files"]!.AsObject().Remove(PackageContract.ModelZipFile));
        Assert.Contains("has no hash for model.zip", Assert.Throws<PackageException>(() => PackageCheck.Verify(unlisted, PackageContract.ModelZipFile)).Message);
    }

    [Fact]
    public void An_oversized_manifest_is_refused_before_reading_it()
    {
        string package = _package.Copy(_temp);
        using (var stream = File.OpenWrite(Path.Combine(package, PackageContract.ManifestFile)))
        {
            stream.SetLength(PackageContract.MaxManifestBytes + 1);
        }

        Assert.Contains("is more than the 1,048,576 a package file may have", Refusal(package));
    }
}
