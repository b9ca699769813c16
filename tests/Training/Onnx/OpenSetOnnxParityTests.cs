using Custom.Data.Ingest;
using Custom.Data.Selection;
using Custom.Inference;
using Custom.Tests.Support;
using Custom.Training;
using Custom.Training.Features;
using Custom.Training.OpenSet;
using Custom.Training.Packaging;
using Custom.Training.Trainers;
using Microsoft.ML;

namespace Custom.Tests.Training.Onnx;

/// An open-set package trained on the real bal_train (its none-clips as "other"), scored on every one of the 20,371
/// eval clips: ONNX Runtime through the package, model.zip through ML.NET and training's own figures agree.
[Trait("Category", "Dataset")]
public sealed class OpenSetOnnxParityTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void An_open_set_package_gives_training_s_answers_on_every_eval_clip_through_onnx_and_model_zip()
    {
        var folder = AudioSetData.Folder;
        var trainAll = OpenSetClip.Read(folder.FilesOf("bal_train"), ClassSet.Default, IngestOptions.Default);
        var eval = OpenSetClip.Read(folder.FilesOf("eval"), ClassSet.Default, IngestOptions.Default);
        var known = trainAll.Where(c => c.Positions.Count == 1).Select(c => new LabeledClip(c.Clip, c.Positions[0])).ToList();
        var none = trainAll.Where(c => c.Positions.Count == 0).Select(c => c.Clip).ToList();
        var run = OpenSetSession.Run(ClassSet.Default, known, none, eval,
            new TrainingOptions { Folds = 2, OpenSet = true, Candidates = [new Candidate(TrainerCatalog.Get("lbfgs-maxent"), FeatureKind.Mean, false)] });
        string package = _temp.Folder("package");
        ModelPackage.Write(package, run, SelectionPolicy.ExactlyOne, new ModelManifest.DataFingerprintInfo("sha256", "bal_train", 0, "test"), null, DateTime.UnixEpoch);

        Assert.Equal(20_371, eval.Count);
        var expected = run.Chosen.EvalProbabilities!;
        using var classifier = SoundClassifier.Load(package);
        Assert.True(classifier.OpenSet);
        var onnx = classifier.PredictBatch(eval.Select(c => c.Clip.Frames).ToList());
        var ml = new MLContext(1);
        var zip = SavedModel.Predict(ml, SavedModel.Load(ml, Path.Combine(package, ModelPackage.ModelZip)), eval.Select(c => c.Clip.Frames));

        double worst = 0;
        for (int i = 0; i < eval.Count; i++)
        {
            int label = Array.IndexOf(expected[i], expected[i].Max());
            Assert.True(label == onnx[i].Label, $"clip {i}: training says {label}, ONNX {onnx[i].Label}");
            Assert.True(label == Array.IndexOf(zip[i], zip[i].Max()), $"clip {i}: training says {label}, model.zip otherwise");
            for (int k = 0; k < 11; k++)
            {
                worst = Math.Max(worst, Math.Max(Math.Abs(expected[i][k] - onnx[i].Probabilities[k]), Math.Abs(expected[i][k] - zip[i][k])));
            }
        }

        Assert.True(worst <= 1e-4, $"max |Δp| = {worst}");
        Assert.Contains(onnx, p => p.IsOther);
        Assert.Equal(run.OpenSet!.Chosen.Eval!.NoneGivenKnown, eval.Zip(onnx).Count(z => z.First.Positions.Count == 0 && !z.Second.IsOther));
    }
}
