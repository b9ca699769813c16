namespace Custom.Training.Features;

/// <summary>
/// Turns quantized VGGish frames into features. VGGish embeddings were clipped to [-2, 2] and quantized to bytes as
/// round((x + 2) × 255 / 4); <see cref="Dequantize"/> maps a byte back to that range. Only the clip's real frames
/// (at most <see cref="MaxFrames"/>) take part, so padding never changes a feature. The ONNX export builds the same
/// formulas as graph nodes; a test holds the two together.
/// </summary>
public static class Featurizer
{
    /// <summary>Bytes (and dimensions) per frame.</summary>
    public const int FrameSize = Custom.Inference.PackageContract.FrameSize;

    /// <summary>Frames used per clip; AudioSet clips have at most ten one-second frames.</summary>
    public const int MaxFrames = Custom.Inference.PackageContract.MaxFrames;

    /// <summary>Scale of the dequantization: 4 / 255.</summary>
    public const float Scale = 4f / 255f;

    /// <summary>Offset of the dequantization.</summary>
    public const float Offset = -2f;

    /// <summary>Maps a quantized byte back to [-2, 2].</summary>
    public static float Dequantize(byte value) => value * Scale + Offset;

    /// <summary>
    /// Computes the features of one clip from its frames (frame-major, 128 bytes each); frames beyond
    /// <see cref="MaxFrames"/> are ignored.
    /// </summary>
    public static float[] Compute(FeatureKind kind, ReadOnlySpan<byte> frames)
    {
        var features = new float[kind.Dimension()];
        Compute(kind, frames, features);
        return features;
    }

    /// <summary>Computes features into <paramref name="destination"/> (length <see cref="FeatureKinds.Dimension"/>).</summary>
    public static void Compute(FeatureKind kind, ReadOnlySpan<byte> frames, Span<float> destination)
    {
        if (frames.Length == 0 || frames.Length % FrameSize != 0)
        {
            throw new ArgumentException($"frames must hold a whole, positive number of {FrameSize}-byte frames, not {frames.Length} bytes", nameof(frames));
        }

        if (destination.Length != kind.Dimension())
        {
            throw new ArgumentException($"{kind.ToName()} features have {kind.Dimension()} values, not {destination.Length}", nameof(destination));
        }

        int count = Math.Min(frames.Length / FrameSize, MaxFrames);
        switch (kind)
        {
            case FeatureKind.Mean:
                Pool(frames, count, destination, default, default);
                break;
            case FeatureKind.Stats:
                Pool(frames, count, destination[..FrameSize], destination.Slice(FrameSize, FrameSize), destination.Slice(2 * FrameSize, FrameSize));
                break;
            case FeatureKind.Flat:
                destination.Clear();
                for (int i = 0; i < count * FrameSize; i++)
                {
                    destination[i] = Dequantize(frames[i]);
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    // Sums are taken over the integer bytes, which is exact in any order; dequantization comes after, as a fixed
    // sequence of single float operations. The ONNX graph performs the very same operations, so features agree bit
    // for bit — which matters for tree models, where a last-bit difference can take the other branch.
    private static void Pool(ReadOnlySpan<byte> frames, int count, Span<float> mean, Span<float> std, Span<float> max)
    {
        float n = count;
        for (int d = 0; d < FrameSize; d++)
        {
            int sum = 0;
            int sumOfSquares = 0;
            int largest = 0;
            for (int f = 0; f < count; f++)
            {
                int b = frames[f * FrameSize + d];
                sum += b;
                sumOfSquares += b * b;
                largest = Math.Max(largest, b);
            }

            float meanByte = sum / n;
            mean[d] = meanByte * Scale + Offset;
            if (!std.IsEmpty)
            {
                float varianceOfBytes = sumOfSquares / n - meanByte * meanByte;
                std[d] = MathF.Sqrt(Math.Max(0f, varianceOfBytes)) * Scale;
                max[d] = largest * Scale + Offset;
            }
        }
    }
}
