using Custom.Training.Features;
using Custom.Training.Trainers.Attention;

namespace Custom.Training.Onnx;

/// <summary>
/// <see cref="AttentionNetwork"/> as ONNX nodes over the flat features: the frames back in [N, 10, F], the shared
/// frame layer as one MatMul, frame logits and attention scores, a softmax over the real frames only (from
/// <c>frame_count</c>), the pooled logits averaged over the members, and the class softmax.
/// </summary>
internal static class OnnxAttention
{
    // Attention scores of padding frames: exp(−10³⁰ − max) is exactly 0, so they take no weight.
    private const float Excluded = -1e30f;

    public static string Probabilities(OnnxGraph g, AttentionNetwork network, string features, int dimension, int classCount)
    {
        if (network.Inputs != dimension || network.Classes != classCount)
        {
            throw new InvalidOperationException($"the attention network is {network.Inputs} → {network.Classes}, expected {dimension} → {classCount}");
        }

        int f = network.FrameSize, h = network.Hidden, k = classCount, members = network.Members;
        var frames = g.Node("Reshape", [features, g.Constant([-1L, Featurizer.MaxFrames, f], 3)]);

        // The members' frame layers side by side: W [F, M·H]; their output layers block-diagonal: [M·H, M·K].
        var w = new float[f * members * h];
        var b = new float[members * h];
        var u = new float[members * h * members * k];
        var ub = new float[members * k];
        var v = new float[members * h * members * k];
        var vb = new float[members * k];
        for (int m = 0; m < members; m++)
        {
            var weights = network.Member(m);
            for (int j = 0; j < h; j++)
            {
                for (int i = 0; i < f; i++)
                {
                    w[i * members * h + m * h + j] = weights.W.Span[j * f + i];
                }

                b[m * h + j] = weights.B.Span[j];
                for (int c = 0; c < k; c++)
                {
                    u[(m * h + j) * members * k + m * k + c] = weights.U.Span[c * h + j];
                    v[(m * h + j) * members * k + m * k + c] = weights.V.Span[c * h + j];
                }
            }

            weights.UBias.Span.CopyTo(ub.AsSpan(m * k));
            weights.VBias.Span.CopyTo(vb.AsSpan(m * k));
        }

        var hidden = g.Node("Relu", [g.Node("Add", [g.Node("MatMul", [frames, g.RawConstant(w, f, members * h)]), g.RawConstant(b, members * h)])]);
        var logits = g.Node("Add", [g.Node("MatMul", [hidden, g.RawConstant(u, members * h, members * k)]), g.RawConstant(ub, members * k)]);
        var scores = g.Node("Add", [g.Node("MatMul", [hidden, g.RawConstant(v, members * h, members * k)]), g.RawConstant(vb, members * k)]);

        // real [N, 10, 1]: frame index < frame_count, at least one frame as the featurizer takes it.
        var positions = g.Constant(Enumerable.Range(0, Featurizer.MaxFrames).Select(i => (long)i).ToArray(), Featurizer.MaxFrames);
        var count = g.Node("Max", [OnnxFeaturizer.FrameCountInput, g.Constant([1L], 1)]);
        var countColumn = g.Node("Unsqueeze", [count, g.Constant([1L], 1)]);
        var real = g.Node("Unsqueeze", [g.Node("Less", [positions, countColumn]), g.Constant([2L], 1)]);
        var masked = g.Node("Where", [real, scores, g.Constant([Excluded])]);
        var attention = g.Node("Softmax", [masked], attributes: ("axis", 1L));
        var pooled = g.Node("ReduceSum", [g.Node("Mul", [attention, logits]), g.Constant([1L], 1)], attributes: ("keepdims", 0L));
        if (members > 1)
        {
            pooled = g.Node("ReduceMean", [g.Node("Reshape", [pooled, g.Constant([-1L, members, k], 3)])], attributes: [("axes", new[] { 1L }), ("keepdims", 0L)]);
        }

        return g.Node("Softmax", [pooled], attributes: ("axis", 1L));
    }
}
