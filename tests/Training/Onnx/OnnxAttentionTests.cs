using Custom.Data.Ingest;
using Custom.Data.Selection;
using Custom.Tests.Support;
using Custom.Training;
using Custom.Training.Features;
using Custom.Training.Onnx;
using Custom.Training.Onnx.Protos;
using Custom.Training.Trainers;
using Custom.Training.Trainers.Attention;
using Google.Protobuf;
using Microsoft.ML;
using Microsoft.ML.OnnxRuntime;
using static Custom.Training.Onnx.Protos.TensorProto.Types;
using TrainingSession = Custom.Training.TrainingSession;

namespace Custom.Tests.Training.Onnx;

/// The attention network's ONNX graph against its C# scoring, on synthetic clips (no dataset needed); padding frames
/// hold garbage bytes, which neither may see.
public sealed class OnnxAttentionTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static float[] RunOnnx(byte[] model, byte[] frames, long[] counts, string output)
    {
        using var session = new InferenceSession(model);
        using var framesValue = OrtValue.CreateTensorValueFromMemory(frames, [counts.Length, 10, 128]);
        using var countValue = OrtValue.CreateTensorValueFromMemory(counts, [counts.Length]);
        using var runOptions = new RunOptions(); // kept alive for the whole call (see SoundClassifier)
        using var outputs = session.Run(runOptions, ["frames", "frame_count"], [framesValue, countValue], [output]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    private static AttentionNetwork RandomNetwork(int hidden, int classes, int members, Random random)
    {
        var packed = new float[AttentionNetwork.PackedLength(128, hidden, classes, members)];
        for (int i = 4; i < packed.Length; i++)
        {
            packed[i] = (float)(random.NextDouble() * 0.4 - 0.2);
        }

        (packed[0], packed[1], packed[2], packed[3]) = (128, hidden, classes, members);
        return new AttentionNetwork(packed);
    }

    private static byte[] Export(AttentionNetwork network)
    {
        var g = new OnnxGraph("attention").Opset("", OnnxExport.Opset);
        OnnxFeaturizer.Append(g, FeatureKind.Flat); // declares the inputs, as every export does
        return OnnxExport.Finish(g, OnnxAttention.Probabilities(g, network, 1280, network.Classes), network.Classes, null, out _);
    }

    [Fact]
    public void Graph_of_a_network_of_two_members_gives_its_probabilities_and_ignores_padding()
    {
        const int classes = 10;
        var random = new Random(3);
        var network = RandomNetwork(8, classes, 2, random);
        // A frame count outside 1..10 means its nearest: at least one frame, at most ten.
        long[] counts = [1, 2, 3, 7, 10, 10, 0, -4, 11, 1000];
        var frames = new byte[counts.Length * 1280];
        random.NextBytes(frames);
        var actual = RunOnnx(Export(network), frames, counts, "probabilities");
        for (int i = 0; i < counts.Length; i++)
        {
            int real = (int)Math.Clamp(counts[i], 1, 10);
            var expected = network.Probabilities(Featurizer.Compute(FeatureKind.Flat, frames.AsSpan(i * 1280, real * 128)));
            for (int c = 0; c < classes; c++)
            {
                Assert.Equal(expected[c], actual[i * classes + c], 1e-6);
            }
        }
    }

    [Fact]
    public void Exported_graph_holds_no_node_or_initializer_that_nothing_reads()
    {
        var model = ModelProto.Parser.ParseFrom(Export(RandomNetwork(8, 10, 1, new Random(5))));
        var read = model.Graph.Node.SelectMany(n => n.Input).Concat(model.Graph.Output.Select(o => o.Name)).ToHashSet();
        Assert.All(model.Graph.Node, n => Assert.Contains(n.Output, read.Contains));
        Assert.All(model.Graph.Initializer, i => Assert.Contains(i.Name, read));
        // The flat featurizer's nodes go unread (the network reads the frames itself), and no Identity copies the output.
        Assert.DoesNotContain(model.Graph.Node, n => n.OpType is "Where" or "Identity");
        Assert.Equal("Softmax", model.Graph.Node.Single(n => n.Output.Contains(OnnxExport.ProbabilitiesOutput)).OpType);
    }

    [Fact]
    public void Trained_package_model_onnx_and_model_zip_give_what_the_session_scored()
    {
        var random = new Random(1);
        LabeledClip Clip(int i) => new(SmallPackageFixture.Clip($"synthetic{i}", i % 10, 1 + random.Next(10), random), i % 10);
        var train = Enumerable.Range(0, 300).Select(Clip).ToList();
        var eval = Enumerable.Range(300, 80).Select(Clip).ToList();
        var run = TrainingSession.Run(ClassSet.Default, train, eval,
            new TrainingOptions { Folds = 2, Parallelism = 1, Candidates = [new Candidate(TrainerCatalog.Get("attention"), FeatureKind.Flat, false, Offsets: true)] });
        var expected = run.Chosen.EvalProbabilities!;
        Assert.True(run.Chosen.Eval!.MacroF1 > 0.9, $"eval macro-F1 {run.Chosen.Eval.MacroF1}");

        var onnx = OnnxExport.TryExport(run, out string? refusal);
        Assert.True(onnx is not null, refusal);
        var frames = new byte[eval.Count * 1280];
        random.NextBytes(frames); // padding frames hold garbage
        var counts = new long[eval.Count];
        for (int i = 0; i < eval.Count; i++)
        {
            eval[i].Clip.Frames.Span.CopyTo(frames.AsSpan(i * 1280));
            counts[i] = eval[i].Clip.FrameCount;
        }

        var probabilities = RunOnnx(onnx, frames, counts, "probabilities");
        for (int i = 0; i < eval.Count; i++)
        {
            for (int c = 0; c < 10; c++)
            {
                Assert.Equal(expected[i][c], probabilities[i * 10 + c], 1e-5);
            }
        }

        string path = _temp.File("model.zip");
        run.SaveModel(path);
        var ml = new MLContext(1);
        Assert.Equal(expected, SavedModel.Predict(ml, SavedModel.Load(ml, path), eval.Select(c => c.Clip.Frames)));
    }
}
