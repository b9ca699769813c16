using System.Numerics.Tensors;
using Custom.Training.Features;
using Custom.Training.Trainers.Mlp;

namespace Custom.Training.Trainers.Attention;

/// A trained attention network over a clip's frames (after Kong et al. 2018), as one packed array
/// [frame size, hidden, classes, members, then per member: W (hidden rows of frame size), b, U (classes rows of hidden),
/// u, V (classes rows of hidden), v]. Each real frame t gets h_t = relu(W x_t + b); for each class k a frame logit
/// c_tk = (U h_t + u)_k and an attention score e_tk = (V h_t + v)_k; α_tk = softmax over the real frames of e_tk; the
/// clip logit is z_k = Σ_t α_tk c_tk, averaged over the members; the probabilities are softmax(z). The packed array is
/// the form a value mapping stores in model.zip, so scoring reads the saved array as it is.
internal sealed class AttentionNetwork : IClassNetwork
{
    private const int HeaderLength = 4;

    public AttentionNetwork(float[] packed)
    {
        if (packed.Length < HeaderLength)
        {
            throw new InvalidDataException("the attention network's weights are missing");
        }

        FrameSize = (int)packed[0];
        Hidden = (int)packed[1];
        Classes = (int)packed[2];
        Members = (int)packed[3];
        if (FrameSize <= 0 || Hidden <= 0 || Classes <= 0 || Members <= 0 || packed.Length != PackedLength(FrameSize, Hidden, Classes, Members))
        {
            throw new InvalidDataException(
                $"the attention network's weights have {packed.Length} values, not the {Members} × ({FrameSize} × {Hidden} × {Classes}) network their header gives");
        }

        Packed = packed;
    }

    public int FrameSize { get; }

    public int Hidden { get; }

    public int Classes { get; }

    public int Members { get; }

    /// Features taken: <see cref="Featurizer.MaxFrames"/> frames of <see cref="FrameSize"/> values (the flat kind).
    public int Inputs => Featurizer.MaxFrames * FrameSize;

    public float[] Packed { get; }

    /// A network of one unit for one class, any weights: enough for an output schema.
    public static AttentionNetwork Smallest => new([1, 1, 1, 1, .. new float[MemberLength(1, 1, 1)]]);

    public static int MemberLength(int frameSize, int hidden, int classes) => hidden * frameSize + hidden + 2 * (classes * hidden + classes);

    public static int PackedLength(int frameSize, int hidden, int classes, int members) => HeaderLength + members * MemberLength(frameSize, hidden, classes);

    /// One member's parameters, views into <see cref="Packed"/>.
    public MemberWeights Member(int m)
    {
        int at = HeaderLength + m * MemberLength(FrameSize, Hidden, Classes);
        Memory<float> Take(int length)
        {
            var part = Packed.AsMemory(at, length);
            at += length;
            return part;
        }

        return new MemberWeights(Take(Hidden * FrameSize), Take(Hidden), Take(Classes * Hidden), Take(Classes), Take(Classes * Hidden), Take(Classes));
    }

    public static AttentionNetwork Pack(int frameSize, int hidden, int classes, IReadOnlyList<MemberWeights> members)
    {
        var packed = new float[PackedLength(frameSize, hidden, classes, members.Count)];
        packed[0] = frameSize;
        packed[1] = hidden;
        packed[2] = classes;
        packed[3] = members.Count;
        int at = HeaderLength;
        foreach (var member in members)
        {
            foreach (var part in member.Parts)
            {
                part.Span.CopyTo(packed.AsSpan(at));
                at += part.Length;
            }
        }

        return new AttentionNetwork(packed);
    }

    /// <summary>
    /// The number of real frames in flat features: frames after the clip's last are exactly zero, and a real frame
    /// never holds an exact 0.0 (a byte b dequantizes to b·4/255 − 2, which is zero only for b = 127.5), so the real
    /// frames are those up to the last frame that is not all zeros. At least one: a clip has a frame.
    /// </summary>
    public static int FrameCount(ReadOnlySpan<float> features, int frameSize)
    {
        int frames = features.Length / frameSize;
        while (frames > 1 && !features.Slice((frames - 1) * frameSize, frameSize).ContainsAnyExcept(0f))
        {
            frames--;
        }

        return frames;
    }

    /// Class probabilities of one clip's flat features.
    public float[] Probabilities(ReadOnlySpan<float> features)
    {
        if (features.Length != Inputs)
        {
            throw new ArgumentException($"the attention network takes {Inputs} flat features ({Featurizer.MaxFrames} frames of {FrameSize}), not {features.Length}");
        }

        int frames = FrameCount(features, FrameSize);
        var hidden = new float[Hidden];
        var frameLogits = new float[frames * Classes];
        var scores = new float[frames * Classes];
        var output = new float[Classes];
        for (int m = 0; m < Members; m++)
        {
            var w = Member(m);
            for (int t = 0; t < frames; t++)
            {
                MlpKernels.Affine(w.W.Span, w.B.Span, features.Slice(t * FrameSize, FrameSize), hidden);
                TensorPrimitives.Max(hidden, 0f, hidden);
                MlpKernels.Affine(w.U.Span, w.UBias.Span, hidden, frameLogits.AsSpan(t * Classes, Classes));
                MlpKernels.Affine(w.V.Span, w.VBias.Span, hidden, scores.AsSpan(t * Classes, Classes));
            }

            for (int k = 0; k < Classes; k++)
            {
                output[k] += Pool(frameLogits, scores, frames, Classes, k, attention: null) / Members;
            }
        }

        MlpNetwork.Softmax(output);
        return output;
    }

    /// Σ_t α_tk c_tk with α_tk the softmax over the frames of e_tk (max-subtracted, as ONNX's Softmax); the weights go
    /// to <paramref name="attention"/> (frame-major, classes wide) when given.
    internal static float Pool(ReadOnlySpan<float> frameLogits, ReadOnlySpan<float> scores, int frames, int classes, int k, Span<float> attention)
    {
        float max = float.NegativeInfinity;
        for (int t = 0; t < frames; t++)
        {
            max = MathF.Max(max, scores[t * classes + k]);
        }

        float sum = 0;
        float weighted = 0;
        for (int t = 0; t < frames; t++)
        {
            float a = MathF.Exp(scores[t * classes + k] - max);
            sum += a;
            weighted += a * frameLogits[t * classes + k];
            if (!attention.IsEmpty)
            {
                attention[t * classes + k] = a;
            }
        }

        if (!attention.IsEmpty)
        {
            for (int t = 0; t < frames; t++)
            {
                attention[t * classes + k] /= sum;
            }
        }

        return weighted / sum;
    }

    /// One member's parameters: the frame layer (W, b), the frame-logit layer (U, u) and the attention layer (V, v).
    internal readonly record struct MemberWeights(Memory<float> W, Memory<float> B, Memory<float> U, Memory<float> UBias, Memory<float> V, Memory<float> VBias)
    {
        public Memory<float>[] Parts => [W, B, U, UBias, V, VBias];
    }
}
