using System.Buffers;
using System.Collections.ObjectModel;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Custom.Inference;

/// <summary>
/// Classifies clips of AudioSet VGGish embedding frames (whole frames of 128 quantized bytes; the model reads the
/// first 10) with a model package written by <c>custom train</c>. Thread-safe: one instance serves concurrent callers,
/// and <see cref="Dispose"/> may be called while they predict.
/// </summary>
public sealed class SoundClassifier : IDisposable
{
    /// <summary>Bytes per frame (<see cref="PackageContract.FrameSize"/>).</summary>
    public const int FrameSize = PackageContract.FrameSize;

    /// <summary>Frames the model reads per clip (<see cref="PackageContract.MaxFrames"/>); later frames are ignored.</summary>
    public const int MaxFrames = PackageContract.MaxFrames;

    /// <summary>
    /// Clips scored per ONNX Runtime call: larger batches are split. Runs this small keep every node's tensors in the
    /// processor's caches, which scores a large batch faster than one call would, and bound the memory of one call.
    /// </summary>
    public const int MaxClipsPerRun = 256;

    private readonly InferenceSession _session;
    private readonly ReadOnlyCollection<string> _classes;
    private readonly PackageManifest.OnnxTensors _tensors;

    // Held for the classifier's lifetime: a RunOptions created inline in the Run call can be finalized by the GC while
    // ONNX Runtime still reads it, which ends the run with "terminate flag being set" or worse.
    private readonly RunOptions _runOptions = new();

    // Reference counting instead of a lock: each call counts itself in, and whoever leaves last after Dispose frees
    // the native session, so Dispose never pulls it from under a running call.
    private int _active;
    private int _disposed;
    private int _released;

    private SoundClassifier(InferenceSession session, IReadOnlyList<string> classes, bool openSet, PackageManifest.OnnxTensors tensors)
    {
        _session = session;
        _classes = new ReadOnlyCollection<string>(classes.ToArray());
        _tensors = tensors;
        OpenSet = openSet;
    }

    /// <summary>Class names, in label order (read-only); for an open-set model the last is "other".</summary>
    public IReadOnlyList<string> Classes => _classes;

    /// <summary>
    /// True when the model can answer "other" (<see cref="PackageContract.OtherClass"/>, the last of <see cref="Classes"/>)
    /// for a clip that is none of its classes; the manifest says so. A manifest without the field is a closed model's.
    /// </summary>
    public bool OpenSet { get; }

    /// <summary>
    /// Loads a package folder (manifest.json, model.onnx, …) after checking it: every file the manifest names is a
    /// plain, regular file inside the folder whose SHA-256 matches the manifest; the schema version is known; classes
    /// are unique and match the model's; and the model has the tensors the manifest names.
    /// </summary>
    /// <param name="packageDir">The package folder.</param>
    /// <returns>A classifier; dispose it to free the ONNX Runtime session.</returns>
    /// <exception cref="PackageException">The package is missing, malformed, tampered, mixed or has no ONNX model; the
    /// message names the file and the reason.</exception>
    public static SoundClassifier Load(string packageDir)
    {
        ArgumentNullException.ThrowIfNull(packageDir);
        var manifest = PackageManifest.Load(packageDir);
        string manifestPath = Path.Combine(packageDir, PackageContract.ManifestFile);
        var tensors = manifest.Onnx ?? throw new PackageException(manifest.OnnxRefused is null
            ? $"{manifestPath}: the package has no ONNX model"
            : $"{manifestPath}: the package has no ONNX model: {manifest.OnnxRefused}");
        manifest.Verify();

        // The session is made from the very bytes that were hashed, so the file cannot change in between.
        byte[] model = manifest.ReadVerified(tensors.File);
        string modelPath = Path.Combine(packageDir, tensors.File);
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        InferenceSession session;
        try
        {
            session = new InferenceSession(model, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new PackageException($"{modelPath}: ONNX Runtime cannot load it: {e.Message}", e);
        }

        try
        {
            CheckModel(session, manifest, tensors, modelPath);
        }
        catch
        {
            session.Dispose();
            throw;
        }

        return new SoundClassifier(session, manifest.Classes, manifest.OpenSet, tensors);
    }

    /// <summary>Classifies one clip.</summary>
    /// <param name="frames">n × 128 bytes with n ≥ 1; frames after the tenth are ignored.</param>
    /// <returns>The prediction.</returns>
    /// <exception cref="ArgumentException"><paramref name="frames"/> is not a whole, positive number of frames.</exception>
    /// <exception cref="ObjectDisposedException">The classifier was disposed.</exception>
    public ClipPrediction Predict(ReadOnlySpan<byte> frames)
    {
        int count = FrameCount(frames.Length, 0);
        var buffer = new byte[MaxFrames * FrameSize];
        frames[..(count * FrameSize)].CopyTo(buffer);
        return Run(buffer, [count], 1)[0];
    }

    /// <summary>Classifies one clip whose first <paramref name="frameCount"/> frames of <paramref name="frames"/> are real.</summary>
    /// <param name="frames">At least <paramref name="frameCount"/> × 128 bytes; bytes after them are ignored.</param>
    /// <param name="frameCount">Real frames, 1 to 10.</param>
    /// <returns>The prediction.</returns>
    /// <exception cref="ArgumentException"><paramref name="frameCount"/> is out of range or <paramref name="frames"/> too short.</exception>
    /// <exception cref="ObjectDisposedException">The classifier was disposed.</exception>
    public ClipPrediction Predict(ReadOnlySpan<byte> frames, int frameCount)
    {
        if (frameCount < 1 || frameCount > MaxFrames || frames.Length < frameCount * FrameSize)
        {
            throw new ArgumentException($"frameCount must be 1 to {MaxFrames} with {FrameSize} bytes per frame; got {frameCount} frames and {frames.Length} bytes", nameof(frameCount));
        }

        return Predict(frames[..(frameCount * FrameSize)]);
    }

    /// <summary>
    /// Classifies many clips in one call (much faster per clip than one at a time). Any number of clips is accepted;
    /// they are scored <see cref="MaxClipsPerRun"/> at a time.
    /// </summary>
    /// <param name="clips">Clips of n × 128 bytes each, n ≥ 1; frames after the tenth are ignored.</param>
    /// <returns>One prediction per clip, in order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="clips"/> is null.</exception>
    /// <exception cref="ArgumentException">A clip is not a whole, positive number of frames; the message gives its position.</exception>
    /// <exception cref="ObjectDisposedException">The classifier was disposed.</exception>
    public IReadOnlyList<ClipPrediction> PredictBatch(IReadOnlyList<ReadOnlyMemory<byte>> clips)
    {
        ArgumentNullException.ThrowIfNull(clips);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var counts = new long[clips.Count];
        for (int i = 0; i < clips.Count; i++)
        {
            counts[i] = FrameCount(clips[i].Length, i);
        }

        var predictions = new List<ClipPrediction>(clips.Count);
        for (int start = 0; start < clips.Count; start += MaxClipsPerRun)
        {
            int n = Math.Min(MaxClipsPerRun, clips.Count - start);
            // A pooled buffer: a fresh one of this size lands on the large-object heap, and the gen-2 collections that
            // follow take a sizeable share of a batch's time.
            var buffer = ArrayPool<byte>.Shared.Rent(n * MaxFrames * FrameSize);
            try
            {
                for (int i = 0; i < n; i++)
                {
                    var clip = buffer.AsSpan(i * MaxFrames * FrameSize, MaxFrames * FrameSize);
                    int length = (int)(counts[start + i] * FrameSize);
                    clips[start + i].Span[..length].CopyTo(clip);
                    clip[length..].Clear();
                }

                predictions.AddRange(Run(buffer.AsMemory(0, n * MaxFrames * FrameSize), counts[start..(start + n)], n));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        return predictions;
    }

    private static int FrameCount(int bytes, int clip)
    {
        if (bytes == 0 || bytes % FrameSize != 0)
        {
            throw new ArgumentException($"clip {clip}: {bytes} bytes is not a whole, positive number of {FrameSize}-byte frames");
        }

        return Math.Min(bytes / FrameSize, MaxFrames);
    }

    private ClipPrediction[] Run(Memory<byte> frames, long[] counts, int n)
    {
        Enter();
        try
        {
            using var framesValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, frames, [n, MaxFrames, FrameSize]);
            using var countValue = OrtValue.CreateTensorValueFromMemory(counts, [n]);
            using var outputs = _session.Run(_runOptions, [_tensors.FramesInput, _tensors.FrameCountInput], [framesValue, countValue], [_tensors.ProbabilitiesOutput]);
            var probabilities = outputs[0].GetTensorDataAsSpan<float>();
            int k = _classes.Count;
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

                predictions[i] = new ClipPrediction(best, _classes[best], row[best], Array.AsReadOnly(row)) { IsOther = OpenSet && best == k - 1 };
            }

            return predictions;
        }
        finally
        {
            Leave();
        }
    }

    private void Enter()
    {
        Interlocked.Increment(ref _active);
        if (Volatile.Read(ref _disposed) != 0)
        {
            Leave();
            throw new ObjectDisposedException(nameof(SoundClassifier));
        }
    }

    private void Leave()
    {
        if (Interlocked.Decrement(ref _active) == 0 && Volatile.Read(ref _disposed) != 0)
        {
            Release();
        }
    }

    /// <summary>
    /// Releases the ONNX Runtime session. Calls already running finish first (the last one frees the session); calls
    /// made after this throw <see cref="ObjectDisposedException"/>. Calling it again does nothing.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0 && Volatile.Read(ref _active) == 0)
        {
            Release();
        }
    }

    private void Release()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            _session.Dispose();
            _runOptions.Dispose();
        }
    }

    private static void CheckModel(InferenceSession session, PackageManifest manifest, PackageManifest.OnnxTensors tensors, string modelPath)
    {
        CheckTensor(session.InputMetadata, tensors.FramesInput, "input", modelPath, typeof(byte), [-1, MaxFrames, FrameSize]);
        CheckTensor(session.InputMetadata, tensors.FrameCountInput, "input", modelPath, typeof(long), [-1]);
        CheckTensor(session.OutputMetadata, tensors.ProbabilitiesOutput, "output", modelPath, typeof(float), [-1, manifest.Classes.Count]);
        if (session.ModelMetadata.CustomMetadataMap.TryGetValue(PackageContract.ClassesMetadataKey, out string? json))
        {
            string[]? trained;
            try
            {
                trained = JsonSerializer.Deserialize<string[]>(json);
            }
            catch (JsonException)
            {
                trained = null;
            }

            if (trained is null || !trained.SequenceEqual(manifest.Classes, StringComparer.Ordinal))
            {
                throw new PackageException($"{Path.Combine(manifest.PackageDir, PackageContract.ManifestFile)}: the manifest's classes ({string.Join(", ", manifest.Classes)}) " +
                    $"are not the ones the model was trained with ({(trained is null ? "unreadable" : string.Join(", ", trained))}): renamed, reordered or from another model");
            }
        }
    }

    private static void CheckTensor(IReadOnlyDictionary<string, NodeMetadata> metadata, string name, string kind, string modelPath, Type elementType, int[] shape)
    {
        if (!metadata.TryGetValue(name, out var node))
        {
            throw new PackageException($"{modelPath}: the model has no {kind} '{name}', which the manifest names (it has: {string.Join(", ", metadata.Keys)})");
        }

        var dims = node.Dimensions;
        bool shapeMatches = dims.Length == shape.Length && dims.Zip(shape).All(d => d.Second < 0 || d.First == d.Second);
        if (!node.IsTensor || node.ElementType != elementType || !shapeMatches)
        {
            string words = shape.Length == 2 && kind == "output"
                ? $"the model gives {string.Join("x", dims)} probabilities but the manifest lists {shape[1]} classes"
                : $"{kind} '{name}' is {node.ElementType.Name} [{string.Join(", ", dims)}], not {elementType.Name} [{string.Join(", ", shape.Select(s => s < 0 ? "N" : s.ToString(System.Globalization.CultureInfo.InvariantCulture)))}]";
            throw new PackageException($"{modelPath}: {words}");
        }
    }
}
