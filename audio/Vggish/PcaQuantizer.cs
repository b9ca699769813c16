using System.IO.Compression;
using Custom.Audio.NumPy;
using Custom.Data;

namespace Custom.Audio.Vggish;

/// <summary>
/// The AudioSet postprocessing of raw 128-d VGGish embeddings, in double as the reference (vggish_postprocess.py):
/// q = uint8((clip(E·(x − μ), −2, 2) + 2) · 255/4), the cast truncating. Without PCA parameters only the clip and the
/// quantization apply (for a network whose output is already PCA-whitened).
/// </summary>
internal sealed class PcaQuantizer
{
    public const int Size = 128;
    public const double Min = -2.0;
    public const double Max = 2.0;

    private readonly double[]? _eigenVectors;
    private readonly double[]? _means;

    private PcaQuantizer(double[]? eigenVectors, double[]? means)
    {
        _eigenVectors = eigenVectors;
        _means = means;
    }

    public static PcaQuantizer WithoutPca { get; } = new(null, null);

    /// Reads pca_eigen_vectors (128×128) and pca_means (128) from Google's vggish_pca_params.npz.
    public static PcaQuantizer Load(string npzPath)
    {
        try
        {
            using var zip = ZipFile.OpenRead(npzPath);
            var vectors = Array(zip, npzPath, "pca_eigen_vectors", [Size, Size]);
            var means = Array(zip, npzPath, "pca_means", [Size]);
            return new PcaQuantizer(vectors, means);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            throw new InvalidInputException($"{npzPath}: not a VGGish PCA parameter file ({e.Message})", e);
        }
    }

    public static PcaQuantizer FromArrays(double[] eigenVectors, double[] means) => new(eigenVectors, means);

    /// Quantizes <paramref name="embedding"/> (128 raw values) into <paramref name="frame"/> (128 bytes).
    public void Quantize(ReadOnlySpan<float> embedding, Span<byte> frame)
    {
        Span<double> centred = stackalloc double[Size];
        for (int j = 0; j < Size; j++)
        {
            centred[j] = embedding[j] - (_means?[j] ?? 0.0);
        }

        for (int i = 0; i < Size; i++)
        {
            double value = centred[i];
            if (_eigenVectors is not null)
            {
                var row = _eigenVectors.AsSpan(i * Size, Size);
                value = 0;
                for (int j = 0; j < Size; j++)
                {
                    value += row[j] * centred[j];
                }
            }

            frame[i] = ToByte(value);
        }
    }

    /// (clip(v, −2, 2) + 2) · 255/4, truncated; NaN becomes 0.
    public static byte ToByte(double value)
    {
        double clipped = Math.Clamp(value, Min, Max);
        return double.IsNaN(clipped) ? (byte)0 : (byte)((clipped - Min) * (255.0 / (Max - Min)));
    }

    private static double[] Array(ZipArchive zip, string path, string name, int[] shape)
    {
        var entry = zip.GetEntry(name + ".npy") ?? throw new InvalidInputException($"{path}: no '{name}' array in the .npz");
        using var stream = entry.Open();
        var array = NpyArray.Read(stream);
        if (!array.Shape.SequenceEqual(shape))
        {
            throw new InvalidInputException($"{path}: '{name}' has shape ({string.Join(", ", array.Shape)}), expected ({string.Join(", ", shape)})");
        }

        return array.Values;
    }
}
