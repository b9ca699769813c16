using Microsoft.ML.Data;

namespace Custom.Training.Features;

/// <summary>
/// The raw input a saved model takes: the clip's frames zero-padded to ten (10 × 128 bytes) and the number of real
/// frames. It is also the input of the ONNX export.
/// </summary>
public sealed class FrameInput
{
    /// <summary>Number of bytes in <see cref="Frames"/>.</summary>
    public const int Length = Featurizer.MaxFrames * Featurizer.FrameSize;

    /// <summary>Frames, frame-major, padded with zeros after <see cref="FrameCount"/> frames.</summary>
    [VectorType(Length)]
    public byte[] Frames { get; set; } = new byte[Length];

    /// <summary>Real frames in <see cref="Frames"/> (1 … 10).</summary>
    public int FrameCount { get; set; }

    /// <summary>Builds the input from a clip's frames (n × 128 bytes); frames beyond ten are dropped.</summary>
    public static FrameInput From(ReadOnlySpan<byte> frames)
    {
        var input = new FrameInput { FrameCount = Math.Min(frames.Length / Featurizer.FrameSize, Featurizer.MaxFrames) };
        frames[..(input.FrameCount * Featurizer.FrameSize)].CopyTo(input.Frames);
        return input;
    }
}
