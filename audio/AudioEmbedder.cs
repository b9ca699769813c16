using Custom.Audio.Decoding;
using Custom.Audio.Features;
using Custom.Audio.Resampling;
using Custom.Audio.Vggish;

namespace Custom.Audio;

/// <summary>
/// Turns a recording into AudioSet embedding frames, as Google made AudioSet's: decode (WAV in process, other formats
/// through ffmpeg) → mono → 16 kHz → VGGish log-mel examples → the VGGish network (ONNX) → PCA whitening → 8-bit
/// quantization. The recording is cut into 10-second windows from its start, each embedded on its own like an AudioSet
/// segment (one frame per 0.96 s; a last window shorter than 0.975 s is dropped). Thread-safe.
/// </summary>
public sealed class AudioEmbedder : IDisposable
{
    /// <summary>Length of one window, in seconds.</summary>
    public const double WindowSeconds = 10.0;

    private const int WindowSamples = (int)(WindowSeconds * VggishLogMel.SampleRate);

    private readonly VggishModel _model;
    private readonly PcaQuantizer _quantizer;

    private AudioEmbedder(VggishModel model, PcaQuantizer quantizer)
    {
        _model = model;
        _quantizer = quantizer;
    }

    /// <summary>Shortest recording that gives one frame, in seconds (15,600 samples at 16 kHz).</summary>
    public static double MinDurationSeconds => VggishLogMel.MinSamples / (double)VggishLogMel.SampleRate;

    /// <summary>
    /// Loads a VGGish ONNX model and Google's PCA parameters (<c>vggish_pca_params.npz</c>). With
    /// <paramref name="pcaNpzPath"/> null the model's output is taken as already PCA-whitened and only quantized.
    /// A missing or unsuitable file is an <see cref="Custom.Data.InvalidInputException"/> naming it.
    /// </summary>
    public static AudioEmbedder Load(string vggishOnnxPath, string? pcaNpzPath) => Load(vggishOnnxPath, pcaNpzPath, threads: 0);

    /// <summary>As <see cref="Load(string, string?)"/>, with ONNX Runtime limited to <paramref name="threads"/> threads (0: its default).</summary>
    public static AudioEmbedder Load(string vggishOnnxPath, string? pcaNpzPath, int threads)
    {
        ArgumentNullException.ThrowIfNull(vggishOnnxPath);
        var quantizer = pcaNpzPath is null ? PcaQuantizer.WithoutPca : PcaQuantizer.Load(pcaNpzPath);
        return new AudioEmbedder(VggishModel.Load(vggishOnnxPath, threads), quantizer);
    }

    /// <summary>
    /// The recording's embedding frames, one <see cref="AudioWindow"/> per 10 seconds. <paramref name="fileName"/>
    /// only names the input in messages. Unusable audio is an <see cref="AudioFormatException"/>.
    /// </summary>
    public IReadOnlyList<AudioWindow> Embed(Stream audio, string? fileName = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(audio);
        string name = fileName ?? "audio";
        var samples = Decode(audio, name, cancellationToken);
        var windows = new List<AudioWindow>();
        for (int start = 0; start < samples.Length; start += WindowSamples)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var window = samples.AsSpan(start, Math.Min(WindowSamples, samples.Length - start));
            int count = VggishLogMel.ExampleCount(window.Length);
            if (count == 0)
            {
                break;
            }

            var embeddings = _model.Embed(VggishLogMel.Compute(window), count);
            var frames = new byte[count * PcaQuantizer.Size];
            for (int i = 0; i < count; i++)
            {
                _quantizer.Quantize(embeddings.AsSpan(i * VggishModel.EmbeddingSize, VggishModel.EmbeddingSize), frames.AsSpan(i * PcaQuantizer.Size, PcaQuantizer.Size));
            }

            windows.Add(new AudioWindow(start / (double)VggishLogMel.SampleRate, (start + window.Length) / (double)VggishLogMel.SampleRate, frames, count));
        }

        return windows;
    }

    /// <summary>Releases the ONNX Runtime session.</summary>
    public void Dispose() => _model.Dispose();

    /// Decodes, mixes to mono, resamples to 16 kHz and checks there is at least one example's worth of audio.
    internal static double[] Decode(Stream audio, string name, CancellationToken cancellationToken)
    {
        var decoded = AudioDecoder.Decode(audio, name, cancellationToken);
        var samples = KaiserBestResampler.Resample(decoded.Samples, decoded.SampleRate, VggishLogMel.SampleRate);
        if (samples.Length < VggishLogMel.MinSamples)
        {
            throw new AudioFormatException(
                $"{name}: {decoded.DurationSeconds:0.###} s of audio is too short; at least {MinDurationSeconds:0.###} s is needed for one 0.96-second frame");
        }

        return samples;
    }
}
