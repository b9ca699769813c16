using Custom.Training.Features;
using Custom.Training.Trainers.Attention;

namespace Custom.Training.Onnx;

/// <summary>
/// <see cref="AttentionNetwork"/> as ONNX nodes over the <c>frames</c> and <c>frame_count</c> inputs: the shared frame
/// layer as one Gemm over every frame (the dequantization folded into its weights), frame logits and attention scores
/// as one Gemm, a softmax over the real frames only, the pooled logits averaged over the members, and the class
/// softmax. Few nodes matter: on one clip ONNX Runtime's fixed cost per node adds up to as much as the arithmetic.
/// </summary>
internal static class OnnxAttention
{
    // Added to the attention scores of padding frames: −10³⁰ + e rounds to −10³⁰, and exp(−10³⁰ − max) is exactly 0,
    // so they take no weight.
    private const float Excluded = -1e30f;

    /// The probabilities [N, K]; <paramref name="dimension"/> is the flat features' length, which the network must take.
    public static string Probabilities(OnnxGraph g, AttentionNetwork network, int dimension, int classCount)
    {
        if (network.Inputs != dimension || network.FrameSize != Featurizer.FrameSize || network.Classes != classCount)
        {
            throw new InvalidOperationException($"the attention network is {network.Inputs} → {network.Classes}, expected {dimension} → {classCount}");
        }

        int f = network.FrameSize, h = network.Hidden, k = classCount, members = network.Members, frames = Featurizer.MaxFrames;

        // The members' frame layers side by side: W [F, M·H] over the raw bytes, b [M·H]. With x = byte·s + o,
        // W·x + b = (s·W)·byte + (b + o·ΣW).
        var w = new float[f * members * h];
        var b = new float[members * h];
        // The members' output layers, block-diagonal: frame logits in the first M·K columns, attention scores in the
        // next M·K.
        var heads = new float[members * h * 2 * members * k];
        var headBias = new float[2 * members * k];
        for (int m = 0; m < members; m++)
        {
            var weights = network.Member(m);
            for (int j = 0; j < h; j++)
            {
                double shift = weights.B.Span[j];
                for (int i = 0; i < f; i++)
                {
                    float weight = weights.W.Span[j * f + i];
                    w[i * members * h + m * h + j] = (float)((double)weight * Featurizer.Scale);
                    shift += (double)weight * Featurizer.Offset;
                }

                b[m * h + j] = (float)shift;
                for (int c = 0; c < k; c++)
                {
                    heads[Head(m * h + j, m * k + c)] = weights.U.Span[c * h + j];
                    heads[Head(m * h + j, (members + m) * k + c)] = weights.V.Span[c * h + j];
                }
            }

            weights.UBias.Span.CopyTo(headBias.AsSpan(m * k));
            weights.VBias.Span.CopyTo(headBias.AsSpan((members + m) * k));
        }

        // Stored transposed, [2·M·K, M·H]: the Gemm below writes the frames last.
        int Head(int row, int column) => column * members * h + row;

        var bytes = g.Node("Reshape", [OnnxFeaturizer.FramesInput, g.Constant([-1L, f], 2)]);
        var x = g.Node("Cast", [bytes], attributes: ("to", (long)Protos.TensorProto.Types.DataType.Float));
        var hidden = g.Node("Relu", [g.Node("Gemm", [x, g.RawConstant(w, f, members * h), g.RawConstant(b, members * h)])]);

        // mask[c] [10]: 0 for the first max(1, min(c, 10)) frames, −10³⁰ after: what a frame count c keeps.
        var table = new float[(frames + 1) * frames];
        for (int c = 0; c <= frames; c++)
        {
            for (int t = Math.Max(1, c); t < frames; t++)
            {
                table[c * frames + t] = Excluded;
            }
        }

        var count = g.Node("Clip", [OnnxFeaturizer.FrameCountInput, g.Constant([1L]), g.Constant([(long)frames])]);
        var mask = g.Node("Gather", [g.RawConstant(table, frames + 1, frames), count]);

        // Logits and scores with the frames last, [2, M·K, N, 10], so that the softmax over the frames runs along the
        // innermost axis; ONNX Runtime transposes around a softmax over any other axis.
        var both = g.Node("Gemm", [g.RawConstant(heads, 2 * members * k, members * h), hidden, g.RawConstant(headBias, 2 * members * k, 1)], attributes: ("transB", 1L));
        var split = g.NodeWithOutputs("Split", [g.Node("Reshape", [both, g.Constant([2L, members * k, -1L, frames], 4)])], [g.NewName("logits"), g.NewName("scores")], attributes: ("axis", 0L));
        var attention = g.Node("Softmax", [g.Node("Add", [split[1], mask])], attributes: ("axis", -1L));
        var pooled = g.Node("ReduceSum", [g.Node("Mul", [attention, split[0]]), g.Constant([0L, 3L], 2)], attributes: ("keepdims", 0L));
        if (members > 1)
        {
            pooled = g.Node("ReduceMean", [g.Node("Reshape", [pooled, g.Constant([members, k, -1L], 3)])], attributes: [("axes", new[] { 0L }), ("keepdims", 0L)]);
        }

        return g.Node("Softmax", [g.Node("Transpose", [pooled], attributes: ("perm", new[] { 1L, 0L }))], attributes: ("axis", 1L));
    }
}
