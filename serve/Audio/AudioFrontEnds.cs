using Custom.Audio;

namespace Custom.Serve.Audio;

/// <summary>
/// Builds the audio front end `custom serve --vggish MODEL.onnx [--pca PARAMS.npz]` asks for: Custom.Audio's
/// <see cref="AudioEmbedder"/> (decode → 16 kHz log-mel → VGGish ONNX → PCA and 8-bit quantization), the same chain
/// as `custom embed` and `custom predict --audio`.
/// </summary>
internal static class AudioFrontEnds
{
    /// <summary>Hint given wherever audio is refused for lack of a front end.</summary>
    public const string HowToEnable =
        "start the server with an audio front end (custom serve --vggish VGGISH.onnx [--pca PCA_PARAMS.npz]), " +
        "or send VGGish embeddings instead (JSON frames or a .tfrecord)";

    /// <summary>The front end for the given VGGish model and PCA file (null: the model's output is already whitened).</summary>
    /// <exception cref="Custom.Data.InvalidInputException">A missing or unsuitable model or PCA file; the message names it.</exception>
    public static IAudioFrontEnd Create(string vggishOnnxPath, string? pcaNpzPath) =>
        new EmbedderFrontEnd(AudioEmbedder.Load(vggishOnnxPath, pcaNpzPath));

    private sealed class EmbedderFrontEnd(AudioEmbedder embedder) : IAudioFrontEnd, IDisposable
    {
        public IReadOnlyList<EmbeddedWindow> Embed(Stream audio, string? fileName, CancellationToken cancellationToken)
        {
            try
            {
                return embedder.Embed(audio, fileName, cancellationToken)
                    .Select(w => new EmbeddedWindow(w.StartSeconds, w.EndSeconds, w.Frames, w.FrameCount))
                    .ToList();
            }
            catch (AudioFormatException e)
            {
                throw new UnsupportedAudioException(e.Message, e);
            }
        }

        public void Dispose() => embedder.Dispose();
    }
}
