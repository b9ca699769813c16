using Custom.Data;

namespace Custom.Serve.Audio;

/// <summary>
/// Builds the audio front end `custom serve --vggish MODEL.onnx [--pca PARAMS.npz]` asks for.
/// </summary>
/// <remarks>
/// The audio front end is the Custom.Audio project (AudioEmbedder: WAV/MP3/… → 16 kHz log-mel → VGGish ONNX → PCA and
/// 8-bit quantization). This build does not include it, so <see cref="Create"/> refuses and the service answers the
/// 'audio' field with 501. To connect it: reference ../audio/Custom.Audio.csproj from Custom.Serve.csproj and return
/// an adapter here, e.g.
/// <code>
/// sealed class EmbedderFrontEnd(AudioEmbedder embedder) : IAudioFrontEnd
/// {
///     public IReadOnlyList&lt;EmbeddedWindow&gt; Embed(Stream audio, string? fileName, CancellationToken ct)
///     {
///         try { return embedder.Embed(audio, fileName, ct).Select(w => new EmbeddedWindow(w.StartSeconds, w.EndSeconds, w.Frames, w.FrameCount)).ToList(); }
///         catch (AudioFormatException e) { throw new UnsupportedAudioException(e.Message, e); }
///     }
/// }
/// </code>
/// created with <c>new EmbedderFrontEnd(AudioEmbedder.Load(vggishOnnxPath, pcaNpzPath))</c> and disposed with the host.
/// </remarks>
internal static class AudioFrontEnds
{
    /// <summary>Hint given wherever audio is refused for lack of a front end.</summary>
    public const string HowToEnable =
        "start the server with an audio front end (custom serve --vggish VGGISH.onnx [--pca PCA_PARAMS.npz]), " +
        "or send VGGish embeddings instead (JSON frames or a .tfrecord)";

    /// <summary>The front end for the given VGGish model and PCA file.</summary>
    public static IAudioFrontEnd Create(string vggishOnnxPath, string? pcaNpzPath)
    {
        _ = pcaNpzPath;
        throw new InvalidInputException(
            $"--vggish {vggishOnnxPath}: this build of custom has no audio front end (the Custom.Audio project); " +
            "serve VGGish embeddings (JSON frames or .tfrecord) instead");
    }
}
