using Custom.Training.Features;
using Custom.Training.Onnx;
using Microsoft.ML;

namespace Custom.Training.OpenSet;

/// <summary>
/// The ONNX model of an open-set result: one featurizer, the closed and the open model's probabilities from it, their
/// combination with the multipliers on "other" (<see cref="OpenSetModel"/>), as model.zip computes them.
/// </summary>
internal static class OpenSetExport
{
    public static byte[]? TryExport(TrainingResult run, OpenSetCandidate chosen, out string? refusal)
    {
        var kind = chosen.Candidate.Features;
        int known = run.Classes.Count - 1;
        var g = new OnnxGraph(chosen.Candidate.Name + " (open set)").Opset("", OnnxExport.Opset);
        var features = OnnxFeaturizer.Append(g, kind);
        string? closed = OnnxExport.Probabilities(g, chosen.ClosedModel, features, kind.Dimension(), known, chosen.Candidate.Name, out refusal);
        string? open = closed is null ? null : OnnxExport.Probabilities(g, chosen.OpenModel, features, kind.Dimension(), known + 1, chosen.Candidate.Name, out refusal);
        if (closed is null || open is null)
        {
            return null;
        }

        // p_k·(1 − r) for the K classes and r·m_a for "other", a = ArgMax(p) (the first of equal maxima, as the
        // ranking rule), renormalized: Slice takes r = open[:, K:K+1], Gather looks up m_a.
        var other = g.Node("Slice", [open, g.Constant([(long)known], 1), g.Constant([(long)known + 1], 1), g.Constant([1L], 1)]);
        var rest = g.Node("Sub", [g.Constant([1f], 1), other]);
        var scaled = g.Node("Mul", [closed, rest]);
        var answer = g.Node("ArgMax", [closed], attributes: [("axis", 1L), ("keepdims", 1L)]);
        var multiplier = g.Node("Gather", [g.Constant(chosen.OtherWeights.ToArray(), known), answer]);
        var combined = g.Node("Concat", [scaled, g.Node("Mul", [other, multiplier])], attributes: ("axis", 1L));
        var sums = g.Node("ReduceSum", [combined, g.Constant([1L], 1)], attributes: ("keepdims", 1L));
        var probabilities = g.Node("Div", [combined, sums]);
        return OnnxExport.Finish(g, probabilities, known + 1, run.Classes.Names, out refusal);
    }
}
