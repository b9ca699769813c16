using System.Collections.Immutable;
using Custom.Training.Features;
using Custom.Training.Onnx.Protos;
using Google.Protobuf;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Transforms;
using static Custom.Training.Onnx.Protos.TensorProto.Types;

namespace Custom.Training.Onnx;

/// <summary>
/// Writes the chosen model's whole scoring path — dequantize, pooling over the real frames, normalization, the model,
/// probabilities — as ONNX. Families it cannot write exactly are refused with the reason; never written wrong.
/// </summary>
public static class OnnxExport
{
    /// <summary>Opset of the default (ai.onnx) domain.</summary>
    public const long Opset = 17;

    /// <summary>Output: class probabilities [N, K].</summary>
    public const string ProbabilitiesOutput = "probabilities";

    /// <summary>Output: most probable class [N] (int64).</summary>
    public const string LabelOutput = "label";

    /// <summary>
    /// The ONNX model of a result's chosen candidate, or null with <paramref name="refusal"/> saying why it cannot be
    /// exported.
    /// </summary>
    public static byte[]? TryExport(TrainingResult run, out string? refusal) =>
        TryExport(run.Chosen.Candidate.Features, run.Chosen.FinalModel, run.Classes.Count, run.Chosen.Candidate.Name, out refusal);

    internal static byte[]? TryExport(FeatureKind kind, ITransformer model, int classCount, string name, out string? refusal)
    {
        var parts = model is IEnumerable<ITransformer> chain ? chain.ToList() : [model];
        var normalizer = parts.OfType<NormalizingTransformer>().SingleOrDefault();
        var predictor = parts.OfType<ISingleFeaturePredictionTransformer<object>>().LastOrDefault()?.Model;
        if (predictor is not MaximumEntropyModelParameters maxent)
        {
            refusal = $"ONNX export of {name} is not supported: only maximum-entropy (sdca-maxent, lbfgs-maxent) models are exported so far; " +
                $"the package holds model.zip only";
            return null;
        }

        var g = new OnnxGraph(name).Opset("", Opset);
        var features = OnnxFeaturizer.Append(g, kind);
        int dimension = kind.Dimension();
        if (normalizer is not null)
        {
            features = Normalize(g, normalizer, features, dimension);
        }

        var weights = default(VBuffer<float>[]);
        maxent.GetWeights(ref weights, out int classes);
        var biases = maxent.GetBiases().ToArray();
        if (classes != classCount || weights.Length != classCount)
        {
            refusal = $"ONNX export of {name}: the model has {classes} classes, expected {classCount}";
            return null;
        }

        // Gemm(features [N,F], W [F,K]) + b [K], then softmax over classes: ML.NET's maximum-entropy scoring.
        var matrix = new float[dimension * classCount];
        for (int c = 0; c < classCount; c++)
        {
            var row = weights[c].DenseValues().ToArray();
            for (int f = 0; f < dimension; f++)
            {
                matrix[f * classCount + c] = row[f];
            }
        }

        var logits = g.Node("Gemm", [features, g.Constant(matrix, dimension, classCount), g.Constant(biases, classCount)]);
        g.Node("Softmax", [logits], ProbabilitiesOutput, attributes: ("axis", 1L));
        g.Node("ArgMax", [ProbabilitiesOutput], LabelOutput, attributes: [("axis", 1L), ("keepdims", 0L), ("select_last_index", 0L)]);
        g.Output(ProbabilitiesOutput, DataType.Float, "N", classCount);
        g.Output(LabelOutput, DataType.Int64, "N");
        refusal = null;
        return g.Build(typeof(OnnxExport).Assembly.GetName().Version?.ToString() ?? "0").ToByteArray();
    }

    private static string Normalize(OnnxGraph g, NormalizingTransformer normalizer, string features, int dimension)
    {
        var parameters = normalizer.GetNormalizerModelParameters(0);
        if (parameters is not NormalizingTransformer.AffineNormalizerModelParameters<ImmutableArray<float>> affine)
        {
            throw new NotSupportedException($"normalizer {parameters?.GetType().Name} is not affine");
        }

        // ML.NET's affine normalizer: y = (x − offset) × scale, offset empty when zero is kept fixed.
        if (!affine.Offset.IsDefaultOrEmpty)
        {
            features = g.Node("Sub", [features, g.Constant(affine.Offset.ToArray(), dimension)]);
        }

        return g.Node("Mul", [features, g.Constant(affine.Scale.ToArray(), dimension)]);
    }
}
