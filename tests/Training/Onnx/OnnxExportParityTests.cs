using Custom.Data.Ingest;
using Custom.Data.Selection;
using Custom.Tests.Support;
using Custom.Training;
using Custom.Training.Features;
using Custom.Training.Onnx;
using Custom.Training.Onnx.Protos;
using Custom.Training.Trainers;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using TrainingSession = Custom.Training.TrainingSession;

namespace Custom.Tests.Training.Onnx;

/// Parity on every real eval clip: ONNX Runtime (directly and through ML.NET's ApplyOnnxModel) against model.zip.
/// Needs the real AudioSet data (AudioSetLocator).
[Trait("Category", "Dataset")]
public sealed class OnnxExportParityTests : IDisposable
{
    private static readonly Lazy<(IReadOnlyList<LabeledClip> Train, IReadOnlyList<LabeledClip> Eval)> Data = new(() =>
    {
        var folder = AudioSetData.Folder;
        return (AudioSetIngest.ReadSelected(folder.FilesOf("bal_train"), ClipSelector.Default).Clips,
            AudioSetIngest.ReadSelected(folder.FilesOf("eval"), ClipSelector.Default).Clips);
    });

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static TrainingResult Train(string trainer, FeatureKind kind, bool weighted, bool offsets = false) => TrainingSession.Run(
        ClassSet.Default, Data.Value.Train, Data.Value.Eval,
        new TrainingOptions { Folds = 2, Candidates = [new Candidate(TrainerCatalog.Get(trainer), kind, weighted, offsets)] });

    public static TheoryData<string, FeatureKind, bool, bool> ExportableFamilies() => new()
    {
        { "lbfgs-maxent", FeatureKind.Mean, false, false },
        { "sdca-maxent", FeatureKind.Stats, true, false },
        { "lbfgs-maxent", FeatureKind.Flat, false, false },
        { "lightgbm", FeatureKind.Mean, true, false },
        { "ova-fasttree", FeatureKind.Stats, false, false },
        { "ova-linearsvm", FeatureKind.Mean, false, false },
        { "ova-perceptron", FeatureKind.Stats, false, false },
        { "lbfgs-maxent", FeatureKind.Mean, true, true },
        { "mlp", FeatureKind.Mean, false, true },
        { "attention", FeatureKind.Flat, false, false },
    };

    [Theory]
    [MemberData(nameof(ExportableFamilies))]
    public void Onnx_gives_the_same_class_and_probabilities_as_the_ml_net_model_on_every_eval_clip(string trainer, FeatureKind kind, bool weighted, bool offsets)
    {
        var run = Train(trainer, kind, weighted, offsets);
        Assert.Equal(offsets, run.Chosen.ClassWeights is not null);
        var onnx = OnnxExport.TryExport(run, out string? refusal);
        Assert.True(onnx is not null, refusal);
        string path = _temp.File("model.onnx");
        File.WriteAllBytes(path, onnx);

        var eval = Data.Value.Eval;
        var expected = run.Chosen.EvalProbabilities!;
        Assert.Contains(eval, c => c.Clip.FrameCount < 10);

        // ONNX Runtime directly.
        using var session = new InferenceSession(path);
        var frames = new byte[eval.Count * FrameInput.Length];
        var counts = new long[eval.Count];
        for (int i = 0; i < eval.Count; i++)
        {
            var input = FrameInput.From(eval[i].Clip.Frames.Span);
            input.Frames.CopyTo(frames, i * FrameInput.Length);
            counts[i] = input.FrameCount;
        }

        using var framesValue = OrtValue.CreateTensorValueFromMemory(frames, [eval.Count, 10, 128]);
        using var countValue = OrtValue.CreateTensorValueFromMemory(counts, [eval.Count]);
        using var runOptions = new RunOptions(); // kept alive for the whole call (see SoundClassifier)
        using var outputs = session.Run(runOptions, ["frames", "frame_count"], [framesValue, countValue], ["probabilities", "label"]);
        var probabilities = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        var labels = outputs[1].GetTensorDataAsSpan<long>().ToArray();
        AssertParity(expected, probabilities, labels);

        // The same file through ML.NET's OnnxTransformer.
        var ml = new MLContext(1);
        var rows = ml.Data.LoadFromEnumerable(eval.Select(c => OnnxRow.From(c.Clip.Frames.Span)).ToList());
        var applied = ml.Transforms.ApplyOnnxModel(["probabilities", "label"], ["frames", "frame_count"], path).Fit(rows).Transform(rows);
        var viaMlNet = applied.GetColumn<float[]>("probabilities").SelectMany(p => p).ToArray();
        var labelsViaMlNet = applied.GetColumn<long[]>("label").SelectMany(l => l).ToArray();
        AssertParity(expected, viaMlNet, labelsViaMlNet);
    }

    private static void AssertParity(IReadOnlyList<float[]> expected, float[] flat, long[] labels)
    {
        int k = expected[0].Length;
        Assert.Equal(expected.Count * k, flat.Length);
        double worst = 0;
        for (int i = 0; i < expected.Count; i++)
        {
            for (int c = 0; c < k; c++)
            {
                worst = Math.Max(worst, Math.Abs(expected[i][c] - flat[i * k + c]));
            }

            int argmax = Array.IndexOf(expected[i], expected[i].Max());
            Assert.True(argmax == labels[i], $"clip {i}: model.zip says {argmax}, ONNX says {labels[i]}");
        }

        int off = Enumerable.Range(0, expected.Count).Count(i => Enumerable.Range(0, k).Any(c => Math.Abs(expected[i][c] - flat[i * k + c]) > 1e-4));
        Assert.True(worst <= 1e-4, $"max |Δp| = {worst}, clips off: {off}");
    }

    [Fact]
    public void Exported_model_follows_the_structural_rules_and_declares_its_tensors()
    {
        var run = Train("sdca-maxent", FeatureKind.Mean, false);
        var model = ModelProto.Parser.ParseFrom(OnnxExport.TryExport(run, out _));
        Assert.Empty(OnnxValidator.Problems(model));
        Assert.Equal(["frames", "frame_count"], model.Graph.Input.Select(i => i.Name));
        Assert.Equal(["probabilities", "label"], model.Graph.Output.Select(o => o.Name));
        Assert.Equal((int)TensorProto.Types.DataType.Uint8, model.Graph.Input[0].Type.TensorType.ElemType);
        Assert.Equal(OnnxExport.Opset, model.OpsetImport.Single(o => o.Domain == "").Version);
    }

    [Fact]
    public void A_family_that_cannot_be_exported_is_refused_with_the_reason()
    {
        var run = TrainingSession.Run(ClassSet.Default, Data.Value.Train, null,
            new TrainingOptions { Folds = 2, Candidates = [new Candidate(TrainerCatalog.Get("naive-bayes"), FeatureKind.Mean, false)] });
        Assert.Null(OnnxExport.TryExport(run, out string? refusal));
        Assert.Contains("naive-bayes/mean is not supported", refusal);
    }

    /// ML.NET's view of the ONNX inputs: shapes must match the graph's.
    private sealed class OnnxRow
    {
        [VectorType(10, 128)]
        [ColumnName("frames")]
        public byte[] Frames { get; set; } = [];

        [ColumnName("frame_count")]
        [VectorType(1)]
        public long[] FrameCount { get; set; } = [];

        public static OnnxRow From(ReadOnlySpan<byte> frames)
        {
            var input = FrameInput.From(frames);
            return new OnnxRow { Frames = input.Frames, FrameCount = [input.FrameCount] };
        }
    }
}
