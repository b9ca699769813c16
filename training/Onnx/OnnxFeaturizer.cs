using Custom.Training.Features;
using static Custom.Training.Onnx.Protos.TensorProto.Types;

namespace Custom.Training.Onnx;

/// <summary>
/// <see cref="Featurizer"/>'s formulas as ONNX nodes over <c>frames</c> uint8 [N,10,128] and <c>frame_count</c>
/// int64 [N]: a mask from the frame count keeps padding frames out of every sum, mean and maximum.
/// </summary>
internal static class OnnxFeaturizer
{
    public const string FramesInput = Custom.Inference.PackageContract.FramesInput;
    public const string FrameCountInput = Custom.Inference.PackageContract.FrameCountInput;

    /// Adds the nodes; returns the name of the features tensor [N, dimension].
    public static string Append(OnnxGraph g, FeatureKind kind)
    {
        var frames = g.Input(FramesInput, DataType.Uint8, "N", Featurizer.MaxFrames, Featurizer.FrameSize);
        var frameCount = g.Input(FrameCountInput, DataType.Int64, "N");

        // Same operations, in the same order, as Featurizer: integer-valued sums (exact), then dequantization.
        var bytes = g.Node("Cast", [frames], attributes: ("to", (long)DataType.Float));
        var scale = g.Constant([Featurizer.Scale]);
        var offset = g.Constant([Featurizer.Offset]);

        // mask [N,10,1]: frame index < frame_count
        var positions = g.Constant(Enumerable.Range(0, Featurizer.MaxFrames).Select(i => (long)i).ToArray(), Featurizer.MaxFrames);
        var countColumn = g.Node("Unsqueeze", [frameCount, g.Constant([1L], 1)]);
        var real = g.Node("Unsqueeze", [g.Node("Less", [positions, countColumn]), g.Constant([2L], 1)]);
        var zero = g.Constant([0f]);

        if (kind == FeatureKind.Flat)
        {
            var x = g.Node("Add", [g.Node("Mul", [bytes, scale]), offset]);
            var padded = g.Node("Where", [real, x, zero]);
            return g.Node("Reshape", [padded, g.Constant([-1L, Featurizer.MaxFrames * Featurizer.FrameSize], 2)]);
        }

        var frameAxis = g.Constant([1L], 1);
        var maskedBytes = g.Node("Where", [real, bytes, zero]);
        var n = g.Node("Cast", [countColumn], attributes: ("to", (long)DataType.Float));
        var meanByte = g.Node("Div", [g.Node("ReduceSum", [maskedBytes, frameAxis], attributes: ("keepdims", 0L)), n]);
        var mean = g.Node("Add", [g.Node("Mul", [meanByte, scale]), offset]);
        if (kind == FeatureKind.Mean)
        {
            return mean;
        }

        var meanSquare = g.Node("Div", [g.Node("ReduceSum", [g.Node("Mul", [maskedBytes, maskedBytes]), frameAxis], attributes: ("keepdims", 0L)), n]);
        var variance = g.Node("Max", [g.Node("Sub", [meanSquare, g.Node("Mul", [meanByte, meanByte])]), zero]);
        var std = g.Node("Mul", [g.Node("Sqrt", [variance]), scale]);
        // Padding frames count as byte −1 before the maximum, below every real byte.
        var largest = g.Node("ReduceMax", [g.Node("Where", [real, bytes, g.Constant([-1f])])], attributes: [("axes", new[] { 1L }), ("keepdims", 0L)]);
        var max = g.Node("Add", [g.Node("Mul", [largest, scale]), offset]);
        return g.Node("Concat", [mean, std, max], attributes: ("axis", 1L));
    }
}
