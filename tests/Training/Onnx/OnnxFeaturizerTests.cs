using Custom.Training.Features;
using Custom.Training.Onnx;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using static Custom.Training.Onnx.Protos.TensorProto.Types;

namespace Custom.Tests.Training.Onnx;

public sealed class OnnxFeaturizerTests
{
    [Theory]
    [InlineData(FeatureKind.Mean)]
    [InlineData(FeatureKind.Stats)]
    [InlineData(FeatureKind.Flat)]
    public void Graph_features_equal_the_csharp_featurizer_bit_for_bit_and_ignore_padding(FeatureKind kind)
    {
        var g = new OnnxGraph("features").Opset("", OnnxExport.Opset);
        var features = OnnxFeaturizer.Append(g, kind);
        g.Node("Identity", [features], "features");
        g.Output("features", DataType.Float, "N", kind.Dimension());
        using var session = new InferenceSession(g.Build("test").ToByteArray());

        var random = new Random(5);
        int[] counts = [1, 2, 3, 7, 10, 10];
        var frames = new byte[counts.Length * 1280];
        random.NextBytes(frames); // padding frames hold garbage too
        using var framesValue = OrtValue.CreateTensorValueFromMemory(frames, [counts.Length, 10, 128]);
        using var countValue = OrtValue.CreateTensorValueFromMemory(counts.Select(c => (long)c).ToArray(), [counts.Length]);
        using var runOptions = new RunOptions(); // kept alive for the whole call (see SoundClassifier)
        using var outputs = session.Run(runOptions, ["frames", "frame_count"], [framesValue, countValue], ["features"]);
        var actual = outputs[0].GetTensorDataAsSpan<float>().ToArray();

        for (int i = 0; i < counts.Length; i++)
        {
            var expected = Featurizer.Compute(kind, frames.AsSpan(i * 1280, counts[i] * 128));
            Assert.Equal(expected, actual.AsSpan(i * kind.Dimension(), kind.Dimension()).ToArray());
        }
    }

    [Fact]
    public void Validator_names_each_structural_problem()
    {
        var g = new OnnxGraph("bad").Opset("", OnnxExport.Opset);
        var x = g.Input("x", DataType.Float, "N", 2);
        g.Node("Relu", [x], "y");
        g.Node("Relu", ["undefined"], "z");
        g.Node("Relu", [x], "y");
        g.Node("TreeEnsembleRegressor", [x], "t", OnnxGraph.MlDomain);
        g.Output("y", DataType.Float, "N", 2);
        g.Output("missing", DataType.Float, "N", 2);
        var error = Assert.Throws<InvalidOperationException>(() => g.Build("test"));
        Assert.Contains("reads 'undefined', which no graph input, initializer or earlier node defines", error.Message);
        Assert.Contains("writes 'y', which is already defined", error.Message);
        Assert.Contains("uses domain 'ai.onnx.ml' but the model imports no opset for it", error.Message);
        Assert.Contains("graph output 'missing' is not produced by any node", error.Message);
    }
}
