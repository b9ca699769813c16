using Custom.Training.Features;
using static Custom.Training.Onnx.Protos.TensorProto.Types;

namespace Custom.Training.Onnx;

/// <summary>
/// <see cref="Featurizer"/>'s formulas as ONNX nodes over <c>frames</c> uint8 [N,10,128] and <c>frame_count</c>
/// int64 [N]: a mask from the frame count keeps padding frames out of every sum, mean and maximum.
/// </summary>
internal static class OnnxFeaturizer
{
    public const string FramesInput = "frames";
    public const string FrameCountInput = "frame_count";

    /// Adds the nodes; returns the name of the features tensor [N, dimension].
    public static string Append(OnnxGraph g, FeatureKind kind)
    {
        var frames = g.Input(FramesInput, DataType.Uint8, "N", Featurizer.MaxFrames, Featurizer.FrameSize);
        var frameCount = g.Input(FrameCountInput, DataType.Int64, "N");

        // x = b × 4/255 − 2, as float
        var asFloat = g.Node("Cast", [frames], attributes: ("to", (long)DataType.Float));
        var x = g.Node("Add", [g.Node("Mul", [asFloat, g.Constant([Featurizer.Scale])]), g.Constant([Featurizer.Offset])]);

        // mask [N,10,1]: frame index < frame_count
        var positions = g.Constant(Enumerable.Range(0, Featurizer.MaxFrames).Select(i => (long)i).ToArray(), Featurizer.MaxFrames);
        var countColumn = g.Node("Unsqueeze", [frameCount, g.Constant([1L], 1)]);
        var real = g.Node("Less", [positions, countColumn]);
        var real3 = g.Node("Unsqueeze", [real, g.Constant([2L], 1)]);
        var mask = g.Node("Cast", [real3], attributes: ("to", (long)DataType.Float));
        var masked = g.Node("Mul", [x, mask]);

        if (kind == FeatureKind.Flat)
        {
            return g.Node("Reshape", [masked, g.Constant([-1L, Featurizer.MaxFrames * Featurizer.FrameSize], 2)]);
        }

        var frameAxis = g.Constant([1L], 1);
        var count = g.Node("Cast", [countColumn], attributes: ("to", (long)DataType.Float));
        var mean = g.Node("Div", [g.Node("ReduceSum", [masked, frameAxis], attributes: ("keepdims", 0L)), count]);
        if (kind == FeatureKind.Mean)
        {
            return mean;
        }

        var meanOfSquares = g.Node("Div", [g.Node("ReduceSum", [g.Node("Mul", [masked, x]), frameAxis], attributes: ("keepdims", 0L)), count]);
        var variance = g.Node("Max", [g.Node("Sub", [meanOfSquares, g.Node("Mul", [mean, mean])]), g.Constant([0f])]);
        var std = g.Node("Sqrt", [variance]);
        // Padding frames become −∞ before the maximum, so they never win it.
        var forMax = g.Node("Where", [real3, x, g.Constant([float.NegativeInfinity])]);
        var max = g.Node("ReduceMax", [forMax], attributes: [("axes", new[] { 1L }), ("keepdims", 0L)]);
        return g.Node("Concat", [mean, std, max], attributes: ("axis", 1L));
    }
}
