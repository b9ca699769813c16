using System.Numerics.Tensors;

namespace Custom.Training.Trainers.Mlp;

/// A trained one-hidden-layer perceptron, softmax(W2 · relu(W1 · x + b1) + b2), over one packed array
/// [inputs, hidden, classes, W1 (hidden rows of inputs), b1, W2 (classes rows of hidden), b2]: the form a value mapping
/// stores in model.zip, so scoring reads the saved array as it is.
internal sealed class MlpNetwork : IClassNetwork
{
    private const int HeaderLength = 3;

    public MlpNetwork(float[] packed)
    {
        if (packed.Length < HeaderLength)
        {
            throw new InvalidDataException("the perceptron's weights are missing");
        }

        Inputs = (int)packed[0];
        Hidden = (int)packed[1];
        Classes = (int)packed[2];
        if (Inputs <= 0 || Hidden <= 0 || Classes <= 0 || packed.Length != PackedLength(Inputs, Hidden, Classes))
        {
            throw new InvalidDataException($"the perceptron's weights have {packed.Length} values, not the {Inputs} × {Hidden} × {Classes} network their header gives");
        }

        Packed = packed;
    }

    public int Inputs { get; }

    public int Hidden { get; }

    public int Classes { get; }

    public float[] Packed { get; }

    public ReadOnlySpan<float> HiddenWeights => Packed.AsSpan(HeaderLength, Hidden * Inputs);

    public ReadOnlySpan<float> HiddenBiases => Packed.AsSpan(HeaderLength + Hidden * Inputs, Hidden);

    public ReadOnlySpan<float> OutputWeights => Packed.AsSpan(HeaderLength + Hidden * Inputs + Hidden, Classes * Hidden);

    public ReadOnlySpan<float> OutputBiases => Packed.AsSpan(Packed.Length - Classes, Classes);

    public static int PackedLength(int inputs, int hidden, int classes) => HeaderLength + hidden * inputs + hidden + classes * hidden + classes;

    public static MlpNetwork Pack(int inputs, int hidden, int classes, ReadOnlySpan<float> w1, ReadOnlySpan<float> b1, ReadOnlySpan<float> w2, ReadOnlySpan<float> b2)
    {
        var packed = new float[PackedLength(inputs, hidden, classes)];
        packed[0] = inputs;
        packed[1] = hidden;
        packed[2] = classes;
        int at = HeaderLength;
        foreach (var part in new[] { w1.ToArray(), b1.ToArray(), w2.ToArray(), b2.ToArray() })
        {
            part.CopyTo(packed, at);
            at += part.Length;
        }

        return new MlpNetwork(packed);
    }

    /// Class probabilities of one feature vector.
    public float[] Probabilities(ReadOnlySpan<float> features)
    {
        if (features.Length != Inputs)
        {
            throw new ArgumentException($"the perceptron takes {Inputs} features, not {features.Length}");
        }

        Span<float> hidden = Hidden <= 1024 ? stackalloc float[Hidden] : new float[Hidden];
        MlpKernels.Affine(HiddenWeights, HiddenBiases, features, hidden);
        TensorPrimitives.Max(hidden, 0f, hidden);
        var output = new float[Classes];
        MlpKernels.Affine(OutputWeights, OutputBiases, hidden, output);
        Softmax(output);
        return output;
    }

    // Max-subtracted, as ONNX's Softmax computes it, so large logits never overflow.
    internal static void Softmax(Span<float> values)
    {
        float max = TensorPrimitives.Max(values);
        float sum = 0;
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = MathF.Exp(values[i] - max);
            sum += values[i];
        }

        TensorPrimitives.Divide(values, sum, values);
    }
}
