using Custom.Data.Ingest;
using Custom.Data.Selection;
using Custom.Tests.Support;
using Custom.Training;
using Custom.Training.Features;
using Custom.Training.Onnx;
using Custom.Training.Packaging;
using Custom.Training.Trainers;
using Custom.Training.Validation;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Xunit.Abstractions;
using TrainingSession = Custom.Training.TrainingSession;

namespace Custom.Tests.Training.Onnx;

/// ML.NET's own ONNX converter (Microsoft.ML.OnnxConverter) as a second opinion on our exporter: the same fitted
/// model (normalizer + trainer, from features to scores) converted by it and exported by us must give the same class
/// and probabilities on every eval clip. The converter's graph starts from the float features, ours from the raw
/// uint8 frames and the frame count, so the comparison also covers our featurizer nodes.
[Trait("Category", "Dataset")]
public sealed class OnnxConverterCrossCheckTests(ITestOutputHelper output) : IDisposable
{
    private static readonly Lazy<(IReadOnlyList<LabeledClip> Train, IReadOnlyList<LabeledClip> Eval)> Data = new(() =>
    {
        var folder = AudioSetData.Folder;
        return (AudioSetIngest.ReadSelected(folder.FilesOf("bal_train"), ClipSelector.Default).Clips,
            AudioSetIngest.ReadSelected(folder.FilesOf("eval"), ClipSelector.Default).Clips);
    });

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string, FeatureKind, bool> ConvertibleFamilies() => new()
    {
        { "lbfgs-maxent", FeatureKind.Mean, false },
        { "sdca-maxent", FeatureKind.Stats, true },
        { "lightgbm", FeatureKind.Mean, true },
    };

    [Theory]
    [MemberData(nameof(ConvertibleFamilies))]
    public void The_ml_net_converter_and_our_exporter_agree_on_every_eval_clip(string trainer, FeatureKind kind, bool weighted)
    {
        var (train, eval) = Data.Value;
        var run = TrainingSession.Run(ClassSet.Default, train, eval,
            new TrainingOptions { Folds = 2, Candidates = [new Candidate(TrainerCatalog.Get(trainer), kind, weighted)] });

        var ours = Ours(run, eval);
        var converted = Converted(run.Chosen.FinalModel, kind, eval);

        int k = run.Classes.Count;
        double worst = 0;
        for (int i = 0; i < eval.Count; i++)
        {
            for (int c = 0; c < k; c++)
            {
                worst = Math.Max(worst, Math.Abs(ours[i][c] - converted[i][c]));
            }

            int a = Array.IndexOf(ours[i], ours[i].Max());
            int b = Array.IndexOf(converted[i], converted[i].Max());
            Assert.True(a == b, $"{trainer}/{kind.ToName()}, eval clip {i}: our graph says class {a}, the converter's says {b}");
        }

        output.WriteLine($"{trainer}/{kind.ToName()}: {eval.Count} eval clips, same class on all, max |Δp| {worst:G3}");
        Assert.True(worst <= 1e-4, $"{trainer}/{kind.ToName()}: max |Δp| between the two graphs is {worst}");
    }

    [Fact]
    public void The_converter_refuses_the_whole_model_zip_pipeline_because_of_the_featurizer()
    {
        var (train, _) = Data.Value;
        var run = TrainingSession.Run(ClassSet.Default, train, null,
            new TrainingOptions { Folds = 2, Candidates = [new Candidate(TrainerCatalog.Get("lbfgs-maxent"), FeatureKind.Mean, false)] });
        var ml = new MLContext(1);
        string package = _temp.Folder("package");
        ModelPackage.Write(package, run, SelectionPolicy.ExactlyOne, new ModelManifest.DataFingerprintInfo("sha256", "bal_train", 0, "test"), null, DateTime.UnixEpoch);
        var model = SavedModel.Load(ml, Path.Combine(package, "model.zip"));
        var frames = ml.Data.LoadFromEnumerable(train.Take(4).Select(c => FrameInput.From(c.Clip.Frames.Span)).ToList());
        using var stream = new MemoryStream();
        var refused = Assert.Throws<InvalidOperationException>(() => ml.Model.ConvertToOnnx(model, frames, stream));
        Assert.Contains("can not be fully converted", refused.Message);
    }

    private float[][] Ours(TrainingResult run, IReadOnlyList<LabeledClip> eval)
    {
        string path = _temp.File($"ours-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, OnnxExport.TryExport(run, out string? refusal) ?? throw new InvalidOperationException(refusal));
        var frames = new byte[eval.Count * FrameInput.Length];
        var counts = new long[eval.Count];
        for (int i = 0; i < eval.Count; i++)
        {
            var input = FrameInput.From(eval[i].Clip.Frames.Span);
            input.Frames.CopyTo(frames, i * FrameInput.Length);
            counts[i] = input.FrameCount;
        }

        using var session = new InferenceSession(path);
        using var framesValue = OrtValue.CreateTensorValueFromMemory(frames, [eval.Count, 10, 128]);
        using var countValue = OrtValue.CreateTensorValueFromMemory(counts, [eval.Count]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, ["frames", "frame_count"], [framesValue, countValue], [OnnxExport.ProbabilitiesOutput]);
        return Rows(outputs[0].GetTensorDataAsSpan<float>().ToArray(), eval.Count);
    }

    private float[][] Converted(ITransformer model, FeatureKind kind, IReadOnlyList<LabeledClip> eval)
    {
        var ml = new MLContext(1);
        int dimension = kind.Dimension();
        var features = eval.Select(c => Featurizer.Compute(kind, c.Clip.Frames.Span)).ToArray();
        var schema = SchemaDefinition.Create(typeof(FeaturesRow));
        schema[nameof(FeaturesRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dimension);
        var view = ml.Data.LoadFromEnumerable(features.Select(f => new FeaturesRow { Features = f }), schema);

        string path = _temp.File($"converted-{Guid.NewGuid():N}.onnx");
        using (var stream = File.Create(path))
        {
            ml.Model.ConvertToOnnx(model, view, stream, CandidateFit.ScoreColumn);
        }

        using var session = new InferenceSession(path);
        var flat = features.SelectMany(f => f).ToArray();
        using var input = OrtValue.CreateTensorValueFromMemory(flat, [eval.Count, dimension]);
        using var runOptions = new RunOptions();
        string output = session.OutputMetadata.Keys.Single();
        using var outputs = session.Run(runOptions, [session.InputMetadata.Keys.Single()], [input], [output]);
        var rows = Rows(outputs[0].GetTensorDataAsSpan<float>().ToArray(), eval.Count);
        // The same rule that turns scores into probabilities everywhere else (CandidateFit.Probabilities).
        foreach (var row in rows)
        {
            if (!CandidateFit.IsDistribution(row))
            {
                CandidateFit.Softmax(row);
            }
        }

        return rows;
    }

    private static float[][] Rows(float[] flat, int count)
    {
        int k = flat.Length / count;
        return Enumerable.Range(0, count).Select(i => flat.AsSpan(i * k, k).ToArray()).ToArray();
    }

    private sealed class FeaturesRow
    {
        public float[] Features { get; set; } = [];
    }
}
