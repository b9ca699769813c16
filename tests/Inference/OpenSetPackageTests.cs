using System.Text.Json;
using System.Text.Json.Nodes;
using Custom.Inference;
using Custom.Tests.Support;
using Custom.Training;
using Custom.Training.Packaging;
using Microsoft.ML;
using Microsoft.ML.OnnxRuntime;

namespace Custom.Tests.Inference;

/// An open-set package says so in its manifest, answers "other" through ONNX Runtime exactly as its model.zip does,
/// and a manifest without the field (every package written before the field existed) still loads as closed.
public sealed class OpenSetPackageTests : IClassFixture<OpenSetPackageFixture>, IClassFixture<TinyPackageFixture>, IDisposable
{
    private readonly OpenSetPackageFixture _open;
    private readonly TinyPackageFixture _closed;
    private readonly TempFolder _temp = new();

    public OpenSetPackageTests(OpenSetPackageFixture open, TinyPackageFixture closed)
    {
        _open = open;
        _closed = closed;
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void The_manifest_says_open_set_and_the_classes_end_with_other_in_the_manifest_and_the_onnx_metadata()
    {
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(_open.Directory, PackageContract.ManifestFile)))!;
        Assert.True(manifest[PackageContract.OpenSetField]!.GetValue<bool>());
        Assert.Equal(PackageContract.OtherClass, manifest["classes"]!.AsArray()[^1]!["name"]!.GetValue<string>());

        using var session = new InferenceSession(Path.Combine(_open.Directory, PackageContract.OnnxFile));
        var names = JsonSerializer.Deserialize<string[]>(session.ModelMetadata.CustomMetadataMap[PackageContract.ClassesMetadataKey])!;
        Assert.Equal(11, names.Length);
        Assert.Equal(PackageContract.OtherClass, names[^1]);
        Assert.Equal(11, session.OutputMetadata[PackageContract.ProbabilitiesOutput].Dimensions[1]);

        using var classifier = SoundClassifier.Load(_open.Directory);
        Assert.True(classifier.OpenSet);
        Assert.Equal(names, classifier.Classes);
    }

    [Fact]
    public void A_none_clip_is_answered_other_and_a_known_clip_its_class()
    {
        var random = new Random(5);
        using var classifier = SoundClassifier.Load(_open.Directory);
        var none = classifier.Predict(OpenSetData.None("n", 10, random).Frames.Span);
        var dog = classifier.Predict(OpenSetData.Known("d", 2, 10, random).Frames.Span);

        Assert.Equal((10, PackageContract.OtherClass, true), (none.Label, none.ClassName, none.IsOther));
        Assert.Equal(("Dog", false), (dog.ClassName, dog.IsOther));
    }

    [Fact]
    public void Onnx_gives_the_same_answers_and_probabilities_as_model_zip_on_every_kind_of_clip()
    {
        var clips = OpenSetData.Eval(11).Select(c => c.Clip.Frames).ToList();
        using var classifier = SoundClassifier.Load(_open.Directory);
        var onnx = classifier.PredictBatch(clips);
        var ml = new MLContext(1);
        var zip = SavedModel.Predict(ml, SavedModel.Load(ml, Path.Combine(_open.Directory, PackageContract.ModelZipFile)), clips);

        Assert.Contains(onnx, p => p.IsOther);
        for (int i = 0; i < clips.Count; i++)
        {
            Assert.Equal(11, zip[i].Length);
            Assert.Equal(Array.IndexOf(zip[i], zip[i].Max()), onnx[i].Label);
            for (int k = 0; k < 11; k++)
            {
                Assert.Equal(zip[i][k], onnx[i].Probabilities[k], 1e-4f); // the closed models' parity bound
            }
        }
    }

    [Fact]
    public void A_manifest_without_the_field_or_with_false_loads_as_closed()
    {
        string original = _closed.Copy(_temp);
        Assert.DoesNotContain(PackageContract.OpenSetField, File.ReadAllText(Path.Combine(original, PackageContract.ManifestFile)));
        using (var classifier = SoundClassifier.Load(original))
        {
            Assert.False(classifier.OpenSet);
            Assert.All(classifier.PredictBatch(TinyData.Clips("x", 1, 9).Select(c => c.Frames).ToList()), p => Assert.False(p.IsOther));
        }

        using var explicitFalse = SoundClassifier.Load(Edited(_closed.Copy(_temp), m => m[PackageContract.OpenSetField] = false));
        Assert.False(explicitFalse.OpenSet);
    }

    [Fact]
    public void Open_set_on_classes_that_do_not_end_with_other_or_a_flag_that_is_not_a_boolean_is_refused()
    {
        string closed = Edited(_closed.Copy(_temp), m => m[PackageContract.OpenSetField] = true);
        Assert.Contains("an open-set model's classes end with 'other', but these end with 'Jackhammer'", Assert.Throws<PackageException>(() => SoundClassifier.Load(closed)).Message);

        string text = Edited(_closed.Copy(_temp), m => m[PackageContract.OpenSetField] = "yes");
        Assert.Contains("open_set is string, not true or false", Assert.Throws<PackageException>(() => SoundClassifier.Load(text)).Message);
    }

    [Fact]
    public void The_training_manifest_round_trips_and_an_old_one_reads_as_closed()
    {
        var open = ModelManifest.Load(Path.Combine(_open.Directory, ModelManifest.FileName));
        Assert.True(open.IsOpenSet);
        Assert.Equal(11, open.ToClassSet().Count);
        Assert.Equal(10, open.KnownClasses().Count);
        Assert.NotNull(open.ClosedReference);
        string copy = _temp.File("manifest.json");
        open.Save(copy);
        var again = ModelManifest.Load(copy);
        Assert.Equal((open.OpenSet, open.ClosedReference), (again.OpenSet, again.ClosedReference));
        Assert.Equal(open.Classes, again.Classes);

        var old = ModelManifest.Load(Path.Combine(_closed.Directory, ModelManifest.FileName));
        Assert.False(old.IsOpenSet);
        Assert.Null(old.ClosedReference);
        Assert.Equal(old.ToClassSet().Names, old.KnownClasses().Names);
    }

    private static string Edited(string package, Action<JsonObject> edit)
    {
        string path = Path.Combine(package, PackageContract.ManifestFile);
        var manifest = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(manifest);
        File.WriteAllText(path, manifest.ToJsonString());
        return package;
    }
}
