namespace Custom.Inference;

/// <summary>
/// The contract between a model package and everything that writes or reads one, defined here once: file names,
/// the manifest's schema version, the model's input and output tensors, and the limits a reader enforces.
/// </summary>
/// <remarks>
/// The ONNX model takes <see cref="FramesInput"/> (uint8 [N, <see cref="MaxFrames"/>, <see cref="FrameSize"/>], frames
/// beyond a clip's count are padding) and <see cref="FrameCountInput"/> (int64 [N]), and gives
/// <see cref="ProbabilitiesOutput"/> (float [N, K]) and <see cref="LabelOutput"/> (int64 [N]). The manifest names the
/// tensors it was written with, and readers use those names; these constants are what <c>custom train</c> writes.
/// </remarks>
public static class PackageContract
{
    /// <summary>The manifest's schema version this library reads and <c>custom train</c> writes.</summary>
    public const int SchemaVersion = 1;

    /// <summary>The manifest's file name inside a package folder.</summary>
    public const string ManifestFile = "manifest.json";

    /// <summary>The ONNX model's usual file name.</summary>
    public const string OnnxFile = "model.onnx";

    /// <summary>The ML.NET model's usual file name.</summary>
    public const string ModelZipFile = "model.zip";

    /// <summary>Bytes per VGGish embedding frame.</summary>
    public const int FrameSize = 128;

    /// <summary>Frames a model reads per clip: later frames of a longer clip are ignored, in training and in use.</summary>
    public const int MaxFrames = 10;

    /// <summary>Input: frames, uint8 [N, 10, 128].</summary>
    public const string FramesInput = "frames";

    /// <summary>Input: real frames per clip, int64 [N].</summary>
    public const string FrameCountInput = "frame_count";

    /// <summary>Output: class probabilities, float [N, K].</summary>
    public const string ProbabilitiesOutput = "probabilities";

    /// <summary>Output: most probable class, int64 [N].</summary>
    public const string LabelOutput = "label";

    /// <summary>ONNX metadata key holding the class names (a JSON array) the model was trained with.</summary>
    public const string ClassesMetadataKey = "custom.classes";

    /// <summary>
    /// The class an open-set model answers for a sound that is none of its classes: the last of its classes. The manifest
    /// of such a model sets <see cref="OpenSetField"/> to true; a manifest without the field is a closed model's.
    /// </summary>
    public const string OtherClass = "other";

    /// <summary>Manifest field (boolean) saying that the model can answer <see cref="OtherClass"/>.</summary>
    public const string OpenSetField = "open_set";

    /// <summary>Largest manifest read, 1 MiB.</summary>
    public const long MaxManifestBytes = 1L << 20;

    /// <summary>Largest package file read, 1 GiB.</summary>
    public const long MaxFileBytes = 1L << 30;
}
