using Microsoft.ML.OnnxRuntime;

namespace Custom.Inference;

/// <summary>
/// Classifies clips of AudioSet VGGish embedding frames (1 to 10 frames of 128 quantized bytes) with a model package
/// written by <c>custom train</c>. Thread-safe: one instance serves concurrent callers.
/// </summary>
public sealed class SoundClassifier : IDisposable
{
    /// <summary>Bytes per frame.</summary>
    public const int FrameSize = 128;

    /// <summary>Most frames a clip may have.</summary>
    public const int MaxFrames = 10;

    private const string FramesInput = "frames";
    private const string FrameCountInput = "frame_count";
    private const string ProbabilitiesOutput = "probabilities";

    private readonly InferenceSession _session;
    private readonly string[] _classes;

    // Held for the classifier's lifetime: a RunOptions created inline in the Run call can be finalized by the GC while
    // ONNX Runtime still reads it, which ends the run with "terminate flag being set" or worse.
    private readonly RunOptions _runOptions = new();

    private SoundClassifier(InferenceSession session, string[] classes)
    {
        _session = session;
        _classes = classes;
    }

    /// <summary>Class names, in label order.</summary>
    public IReadOnlyList<string> Classes => _classes;

    /// <summary>
    /// Loads a package folder (manifest.json, model.onnx, …) after checking every file against the SHA-256 the
    /// manifest lists. A missing, malformed, tampered or mismatched package is a <see cref="PackageException"/>.
    /// </summary>
    public static SoundClassifier Load(string packageDir)
    {
        if (!Directory.Exists(packageDir))
        {
            throw new PackageException($"{packageDir}: package folder not found");
        }

        var manifest = PackageManifest.Load(packageDir);
        manifest.Verify(packageDir);
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        InferenceSession session;
        try
        {
            session = new InferenceSession(Path.Combine(packageDir, manifest.OnnxFile), options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new PackageException($"{Path.Combine(packageDir, manifest.OnnxFile)}: ONNX Runtime cannot load it: {e.Message}", e);
        }

        var outputShape = session.OutputMetadata[ProbabilitiesOutput].Dimensions;
        if (outputShape.Length != 2 || outputShape[1] != manifest.Classes.Count)
        {
            session.Dispose();
            throw new PackageException($"{packageDir}: the model gives {string.Join("x", outputShape)} probabilities but the manifest lists {manifest.Classes.Count} classes");
        }

        return new SoundClassifier(session, manifest.Classes.ToArray());
    }

    /// <summary>Classifies one clip: <paramref name="frames"/> holds n × 128 bytes with 1 ≤ n ≤ 10.</summary>
    public ClipPrediction Predict(ReadOnlySpan<byte> frames)
    {
        int count = FrameCount(frames.Length, 0);
        var buffer = new byte[MaxFrames * FrameSize];
        frames.CopyTo(buffer);
        return Run(buffer, [count], 1)[0];
    }

    /// <summary>Classifies one clip whose first <paramref name="frameCount"/> frames of <paramref name="frames"/> are real.</summary>
    public ClipPrediction Predict(ReadOnlySpan<byte> frames, int frameCount)
    {
        if (frameCount < 1 || frameCount > MaxFrames || frames.Length < frameCount * FrameSize)
        {
            throw new ArgumentException($"frameCount must be 1 to {MaxFrames} with {FrameSize} bytes per frame; got {frameCount} frames and {frames.Length} bytes", nameof(frameCount));
        }

        return Predict(frames[..(frameCount * FrameSize)]);
    }

    /// <summary>Classifies many clips in one call (much faster per clip than one at a time).</summary>
    public IReadOnlyList<ClipPrediction> PredictBatch(IReadOnlyList<ReadOnlyMemory<byte>> clips)
    {
        ArgumentNullException.ThrowIfNull(clips);
        if (clips.Count == 0)
        {
            return [];
        }

        var buffer = new byte[clips.Count * MaxFrames * FrameSize];
        var counts = new long[clips.Count];
        for (int i = 0; i < clips.Count; i++)
        {
            counts[i] = FrameCount(clips[i].Length, i);
            clips[i].Span.CopyTo(buffer.AsSpan(i * MaxFrames * FrameSize));
        }

        return Run(buffer, counts, clips.Count);
    }

    private static int FrameCount(int bytes, int clip)
    {
        if (bytes == 0 || bytes % FrameSize != 0 || bytes > MaxFrames * FrameSize)
        {
            throw new ArgumentException($"clip {clip}: {bytes} bytes is not 1 to {MaxFrames} frames of {FrameSize} bytes");
        }

        return bytes / FrameSize;
    }

    private ClipPrediction[] Run(byte[] frames, long[] counts, int n)
    {
        using var framesValue = OrtValue.CreateTensorValueFromMemory(frames, [n, MaxFrames, FrameSize]);
        using var countValue = OrtValue.CreateTensorValueFromMemory(counts, [n]);
        using var outputs = _session.Run(_runOptions, [FramesInput, FrameCountInput], [framesValue, countValue], [ProbabilitiesOutput]);
        var probabilities = outputs[0].GetTensorDataAsSpan<float>();
        int k = _classes.Length;
        var predictions = new ClipPrediction[n];
        for (int i = 0; i < n; i++)
        {
            var row = probabilities.Slice(i * k, k).ToArray();
            int best = 0;
            for (int c = 1; c < k; c++)
            {
                if (row[c] > row[best])
                {
                    best = c;
                }
            }

            predictions[i] = new ClipPrediction(best, _classes[best], row[best], row);
        }

        return predictions;
    }

    /// <summary>Releases the ONNX Runtime session.</summary>
    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
    }
}
