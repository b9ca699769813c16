using System.Security.Cryptography;
using System.Text.Json;

namespace Custom.Inference;

/// The part of manifest.json the runtime needs: class names, the ONNX file and its tensor names, and the SHA-256 of
/// every package file. Our own small contract, so this library needs nothing else of the project.
internal sealed class PackageManifest
{
    public const string FileName = "manifest.json";

    private PackageManifest(IReadOnlyList<string> classes, string onnxFile, IReadOnlyDictionary<string, string> files)
    {
        Classes = classes;
        OnnxFile = onnxFile;
        Files = files;
    }

    public IReadOnlyList<string> Classes { get; }

    public string OnnxFile { get; }

    /// File name → lower-case hex SHA-256.
    public IReadOnlyDictionary<string, string> Files { get; }

    public static PackageManifest Load(string packageDir)
    {
        string path = Path.Combine(packageDir, FileName);
        if (!File.Exists(path))
        {
            throw new PackageException($"{path}: manifest not found; a package folder holds manifest.json, model.onnx and model.zip");
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            var classes = root.GetProperty("classes").EnumerateArray().Select(c => c.GetProperty("name").GetString()!).ToArray();
            string onnxFile = root.TryGetProperty("onnx", out var onnx) && onnx.TryGetProperty("file", out var file) ? file.GetString()! : "model.onnx";
            var files = root.GetProperty("files").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!.ToLowerInvariant(), StringComparer.Ordinal);
            if (classes.Length == 0)
            {
                throw new PackageException($"{path}: the manifest lists no classes");
            }

            if (!files.ContainsKey(onnxFile) && root.TryGetProperty("onnx_refused", out var refused))
            {
                throw new PackageException($"{path}: the package has no ONNX model: {refused.GetString()}");
            }

            if (!files.ContainsKey(onnxFile))
            {
                throw new PackageException($"{path}: the manifest has no hash for {onnxFile}");
            }

            return new PackageManifest(classes, onnxFile, files);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new PackageException($"{path}: not a valid package manifest: {e.Message}", e);
        }
    }

    /// Checks every listed file against its SHA-256; a missing or changed file is a PackageException.
    public void Verify(string packageDir)
    {
        foreach (var (name, expected) in Files)
        {
            string path = Path.Combine(packageDir, name);
            if (!File.Exists(path))
            {
                throw new PackageException($"{path}: listed in the manifest but missing");
            }

            string actual = Sha256(path);
            if (actual != expected)
            {
                throw new PackageException($"{path}: SHA-256 {actual} does not match the manifest's {expected}: the file was changed or belongs to another package");
            }
        }
    }

    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
