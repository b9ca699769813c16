using System.Collections.Immutable;
using Custom.Training.Features;
using Custom.Training.Onnx.Protos;
using Custom.Training.Trainers;
using Custom.Training.Trainers.Attention;
using Custom.Training.Trainers.Mlp;
using Google.Protobuf;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Calibrators;
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
    public const string ProbabilitiesOutput = Custom.Inference.PackageContract.ProbabilitiesOutput;

    /// <summary>Output: most probable class [N] (int64).</summary>
    public const string LabelOutput = Custom.Inference.PackageContract.LabelOutput;

    /// <summary>
    /// The ONNX model of a result's chosen candidate, or null with <paramref name="refusal"/> saying why it cannot be
    /// exported.
    /// </summary>
    public static byte[]? TryExport(TrainingResult run, out string? refusal) =>
        run.OpenSet is { } openSet
            ? OpenSet.OpenSetExport.TryExport(run, openSet.Chosen, out refusal)
            : TryExport(run.Chosen.Candidate.Features, run.Chosen.FinalModel, run.Classes.Count, run.Chosen.Candidate.Name, out refusal, run.Chosen.ClassWeights, run.Classes.Names);

    internal static byte[]? TryExport(FeatureKind kind, ITransformer model, int classCount, string name, out string? refusal, IReadOnlyList<float>? classWeights = null, IReadOnlyList<string>? classNames = null)
    {
        var g = new OnnxGraph(name).Opset("", Opset);
        var features = OnnxFeaturizer.Append(g, kind);
        string? probabilities = Probabilities(g, model, features, kind.Dimension(), classCount, name, out refusal);
        if (probabilities is null)
        {
            return null;
        }

        if (classWeights is not null)
        {
            probabilities = ClassOffsetsNodes(g, probabilities, classWeights.ToArray());
        }

        return Finish(g, probabilities, classCount, classNames, out refusal);
    }

    /// The nodes of one model's class probabilities from <paramref name="features"/> (its normalization included), or
    /// null with the reason when the family cannot be written exactly.
    internal static string? Probabilities(OnnxGraph g, ITransformer model, string features, int dimension, int classCount, string name, out string? refusal)
    {
        var parts = model is IEnumerable<ITransformer> chain ? chain.ToList() : [model];
        var normalizer = parts.OfType<NormalizingTransformer>().SingleOrDefault();
        var predictor = parts.OfType<ISingleFeaturePredictionTransformer<object>>().LastOrDefault()?.Model;
        var mlp = parts.OfType<NetworkModel<MlpNetwork>>().SingleOrDefault();
        var attention = parts.OfType<NetworkModel<AttentionNetwork>>().SingleOrDefault();
        if (normalizer is not null)
        {
            // The attention graph reads the frames themselves (see OnnxAttention), so it would skip a normalizer.
            features = attention is null ? Normalize(g, normalizer, features, dimension)
                : throw new InvalidOperationException("an attention network takes the flat features without normalization");
        }

        string? probabilities = mlp is not null ? Perceptron(g, mlp.Network, features, dimension, classCount)
            : attention is not null ? OnnxAttention.Probabilities(g, attention.Network, dimension, classCount)
            : predictor switch
        {
            MaximumEntropyModelParameters maxent => MaximumEntropy(g, maxent, features, dimension, classCount),
            OneVersusAllModelParameters ova => OneVersusAll(g, ova, features, dimension, classCount),
            _ => null,
        };
        refusal = probabilities is not null ? null :
            $"ONNX export of {name} is not supported ({predictor?.GetType().Name}): maximum-entropy, LightGBM, " +
            "perceptron, attention and one-versus-all (FastTree, LinearSvm, AveragedPerceptron) models are exported; the package holds model.zip only";
        return probabilities;
    }

    /// The two outputs (probabilities, their argmax) and the class names, then the serialized model.
    internal static byte[] Finish(OnnxGraph g, string probabilities, int classCount, IReadOnlyList<string>? classNames, out string? refusal)
    {
        g.Rename(probabilities, ProbabilitiesOutput);
        g.Node("ArgMax", [ProbabilitiesOutput], LabelOutput, attributes: [("axis", 1L), ("keepdims", 0L), ("select_last_index", 0L)]);
        g.Output(ProbabilitiesOutput, DataType.Float, "N", classCount);
        g.Output(LabelOutput, DataType.Int64, "N");
        refusal = null;
        // The class names travel inside the hash-checked model, so a reader can tell when a manifest's classes were edited.
        var metadata = classNames is null ? null : new Dictionary<string, string> { [Custom.Inference.PackageContract.ClassesMetadataKey] = System.Text.Json.JsonSerializer.Serialize(classNames) };
        return g.Build(typeof(OnnxExport).Assembly.GetName().Version?.ToString() ?? "0", metadata).ToByteArray();
    }

    // p·w / Σ p·w: the tuned class offsets, as ClassOffsets.Apply computes them.
    internal static string ClassOffsetsNodes(OnnxGraph g, string probabilities, float[] weights)
    {
        var weighted = g.Node("Mul", [probabilities, g.Constant(weights, weights.Length)]);
        var sums = g.Node("ReduceSum", [weighted, g.Constant([1L], 1)], attributes: ("keepdims", 1L));
        return g.Node("Div", [weighted, sums]);
    }

    // Softmax(W x + b): ML.NET's maximum-entropy scoring.
    private static string MaximumEntropy(OnnxGraph g, MaximumEntropyModelParameters maxent, string features, int dimension, int classCount)
    {
        var weights = default(VBuffer<float>[]);
        maxent.GetWeights(ref weights, out int classes);
        if (classes != classCount)
        {
            throw new InvalidOperationException($"the model has {classes} classes, expected {classCount}");
        }

        var logits = Linear(g, features, dimension, weights.Select(w => w.DenseValues().ToArray()).ToList(), maxent.GetBiases().ToArray());
        return g.Node("Softmax", [logits], attributes: ("axis", 1L));
    }

    // Softmax(W2 · Relu(W1 · x + b1) + b2): the perceptron, its input standardization already folded into W1 and b1.
    private static string Perceptron(OnnxGraph g, MlpNetwork network, string features, int dimension, int classCount)
    {
        if (network.Inputs != dimension || network.Classes != classCount)
        {
            throw new InvalidOperationException($"the perceptron is {network.Inputs} → {network.Classes}, expected {dimension} → {classCount}");
        }

        var hidden = g.Node("Relu", [Linear(g, features, dimension, Rows(network.HiddenWeights, network.Hidden), network.HiddenBiases.ToArray())]);
        var logits = Linear(g, hidden, network.Hidden, Rows(network.OutputWeights, classCount), network.OutputBiases.ToArray());
        return g.Node("Softmax", [logits], attributes: ("axis", 1L));
    }

    private static float[][] Rows(ReadOnlySpan<float> matrix, int rows)
    {
        int columns = matrix.Length / rows;
        var result = new float[rows][];
        for (int r = 0; r < rows; r++)
        {
            result[r] = matrix.Slice(r * columns, columns).ToArray();
        }

        return result;
    }

    /// One binary model per class. ML.NET combines them either by a softmax of the raw scores (LightGBM) or by
    /// Platt-calibrating each score, p = 1 / (1 + exp(A·s + B)), and dividing by the sum (FastTree, LinearSvm, …).
    private static string? OneVersusAll(OnnxGraph g, OneVersusAllModelParameters ova, string features, int dimension, int classCount)
    {
        // ML.NET keeps the per-class models internal; the parity tests fail loudly if this ever changes.
        var flags = System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance;
        var subModels = (typeof(OneVersusAllModelParameters).GetProperty("SubModelParameters", flags)?.GetValue(ova) as System.Collections.IEnumerable)?.Cast<object>().ToList();
        string? combination = typeof(OneVersusAllModelParameters).GetField("_impl", flags)?.GetValue(ova)?.GetType().Name;
        if (subModels is null || subModels.Count != classCount || combination is not ("ImplSoftmax" or "ImplDist"))
        {
            return null;
        }

        var raw = new List<object>();
        var slopes = new float[classCount];
        var offsets = new float[classCount];
        for (int c = 0; c < classCount; c++)
        {
            object model = subModels[c];
            if (model is CalibratedModelParametersBase calibrated)
            {
                if (calibrated.Calibrator is not PlattCalibrator platt)
                {
                    return null;
                }

                slopes[c] = (float)platt.Slope;
                offsets[c] = (float)platt.Offset;
                model = calibrated.SubModel;
            }
            else if (combination == "ImplDist")
            {
                return null;
            }

            raw.Add(model);
        }

        string scores;
        if (raw.All(m => m is Microsoft.ML.Trainers.FastTree.TreeEnsembleModelParametersBasedOnRegressionTree))
        {
            scores = OnnxTrees.RawScores(g.Opset(OnnxGraph.MlDomain, OnnxTrees.MlOpset), features,
                raw.Cast<Microsoft.ML.Trainers.FastTree.TreeEnsembleModelParametersBasedOnRegressionTree>().Select(m => m.TrainedTreeEnsemble).ToList());
        }
        else if (raw.All(m => m is LinearBinaryModelParameters))
        {
            var linear = raw.Cast<LinearBinaryModelParameters>().ToList();
            scores = Linear(g, features, dimension, linear.Select(m => m.Weights.ToArray()).ToList(), linear.Select(m => m.Bias).ToArray());
        }
        else
        {
            return null;
        }

        if (combination == "ImplSoftmax")
        {
            return g.Node("Softmax", [scores], attributes: ("axis", 1L));
        }

        // Sigmoid(−(A·s + B)) = 1 / (1 + exp(A·s + B)), then each row divided by its sum.
        var negated = g.Node("Add", [g.Node("Mul", [scores, g.Constant(slopes.Select(a => -a).ToArray(), classCount)]), g.Constant(offsets.Select(b => -b).ToArray(), classCount)]);
        var probabilities = g.Node("Sigmoid", [negated]);
        var sums = g.Node("ReduceSum", [probabilities, g.Constant([1L], 1)], attributes: ("keepdims", 1L));
        return g.Node("Div", [probabilities, sums]);
    }

    // Gemm(features [N,F], W [F,K]) + b [K].
    private static string Linear(OnnxGraph g, string features, int dimension, IReadOnlyList<float[]> rows, float[] biases)
    {
        int classCount = rows.Count;
        var matrix = new float[dimension * classCount];
        for (int c = 0; c < classCount; c++)
        {
            for (int f = 0; f < dimension; f++)
            {
                matrix[f * classCount + c] = rows[c][f];
            }
        }

        return g.Node("Gemm", [features, g.Constant(matrix, dimension, classCount), g.Constant(biases, classCount)]);
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
