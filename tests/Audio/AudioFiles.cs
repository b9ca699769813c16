using Custom.Audio;
using Custom.Cli.Bench;

namespace Custom.Tests.Audio;

/// Shared inputs for the audio tests: Google's PCA file beside the repository and narrow VGGish test networks.
internal static class AudioFiles
{
    private static readonly Lazy<string> LazyPca = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "..", "shared", "vggish", "vggish_pca_params.npz");
            if (File.Exists(candidate))
            {
                return Path.GetFullPath(candidate);
            }
        }

        throw new FileNotFoundException("../shared/vggish/vggish_pca_params.npz not found beside the repository");
    });

    public static string Pca => LazyPca.Value;

    public static string Network(string folder, VggishTestNetwork.Layout layout = VggishTestNetwork.Layout.Frames, int seed = 3)
    {
        string path = Path.Combine(folder, $"vggish-{layout}-{seed}.onnx");
        VggishTestNetwork.Write(path, seed, VggishTestNetwork.Narrow, layout);
        return path;
    }

    public static IReadOnlyList<AudioWindow> Embed(AudioEmbedder embedder, byte[] file, string name = "test.wav") =>
        embedder.Embed(new MemoryStream(file), name);
}
