using System.CommandLine;
using Custom.Audio;
using Custom.Data;

namespace Custom.Cli.Commands;

/// The options that load the VGGish front end, shared by `custom embed`, `custom predict --audio` and the service.
internal sealed class AudioOptions
{
    public Option<string> Vggish { get; } = new("--vggish")
    {
        Description = "VGGish network as ONNX, input [N,96,64], [N,96,64,1] or [N,1,96,64], output [N,128] (see docs/audio.md to convert Google's)",
        HelpName = "MODEL.onnx",
    };

    public Option<string> Pca { get; } = new("--pca")
    {
        Description = "Google's VGGish PCA parameters (vggish_pca_params.npz)",
        HelpName = "PARAMS.npz",
    };

    public Option<bool> NoPca { get; } = new("--no-pca")
    {
        Description = "The network's output is already PCA-whitened: only clip to ±2 and quantize to 8 bits",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Vggish);
        command.Options.Add(Pca);
        command.Options.Add(NoPca);
    }

    public bool Given(ParseResult result) => result.GetValue(Vggish) is not null;

    public AudioEmbedder Load(ParseResult result)
    {
        string model = result.GetValue(Vggish) ?? throw new InvalidInputException("--vggish is required");
        string? pca = result.GetValue(Pca);
        bool noPca = result.GetValue(NoPca);
        if (pca is null == !noPca)
        {
            throw new InvalidInputException("give exactly one of --pca PARAMS.npz and --no-pca");
        }

        return AudioEmbedder.Load(model, pca);
    }

    /// The windows of one file, read through a stream so the embedder sees what a service upload would give it.
    public static IReadOnlyList<AudioWindow> EmbedFile(AudioEmbedder embedder, string path)
    {
        if (!File.Exists(path))
        {
            throw new InvalidInputException($"{path}: audio file not found");
        }

        using var stream = File.OpenRead(path);
        return embedder.Embed(stream, path);
    }
}
