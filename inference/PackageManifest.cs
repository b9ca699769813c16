using System.Security.Cryptography;
using System.Text.Json;

namespace Custom.Inference;

/// The part of manifest.json the runtime needs: class names, the ONNX file and its tensor names, and the SHA-256 of
/// every package file. Our own small contract (see <see cref="PackageContract"/>), so this library needs nothing else
/// of the project. Everything a manifest names is checked before use: file names are plain names inside the package
/// folder, files are regular and size-bounded, classes are unique.
internal sealed class PackageManifest
{
    private PackageManifest(string packageDir, IReadOnlyList<string> classes, bool openSet, OnnxTensors? onnx, string? onnxRefused, IReadOnlyDictionary<string, string> files)
    {
        PackageDir = packageDir;
        Classes = classes;
        OpenSet = openSet;
        Onnx = onnx;
        OnnxRefused = onnxRefused;
        Files = files;
    }

    public string PackageDir { get; }

    public IReadOnlyList<string> Classes { get; }

    /// True when the model can answer "other", its last class (see <see cref="PackageContract.OtherClass"/>).
    public bool OpenSet { get; }

    /// The ONNX file and tensor names, or null when the package has no ONNX model.
    public OnnxTensors? Onnx { get; }

    public string? OnnxRefused { get; }

    /// File name → lower-case hex SHA-256.
    public IReadOnlyDictionary<string, string> Files { get; }

    public static PackageManifest Load(string packageDir)
    {
        if (!Directory.Exists(packageDir))
        {
            throw new PackageException($"{packageDir}: package folder not found");
        }

        string path = Path.Combine(packageDir, PackageContract.ManifestFile);
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new PackageException($"{path}: manifest not found; a package folder holds manifest.json, model.onnx and model.zip");
        }

        byte[] bytes = ReadBounded(path, PackageContract.MaxManifestBytes);
        try
        {
            using var document = JsonDocument.Parse(bytes);
            var root = document.RootElement;
            int version = root.TryGetProperty("schema_version", out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int n) ? n : -1;
            if (version != PackageContract.SchemaVersion)
            {
                throw new PackageException($"{path}: schema_version {(version < 0 ? "missing or not a whole number" : version.ToString(System.Globalization.CultureInfo.InvariantCulture))}; this library reads version {PackageContract.SchemaVersion} only");
            }

            var classes = root.GetProperty("classes").EnumerateArray().Select(c => c.GetProperty("name").GetString() ?? "").ToArray();
            CheckClasses(path, classes);
            bool openSet = ReadOpenSet(path, root, classes);
            var files = root.GetProperty("files").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal);
            foreach (var (name, hash) in files)
            {
                CheckFileName(path, name, "files");
                if (hash.Length != 64 || !hash.All(Uri.IsHexDigit))
                {
                    throw new PackageException($"{path}: the hash listed for '{name}' is not a SHA-256 (64 hex digits)");
                }
            }

            OnnxTensors? onnx = null;
            if (root.TryGetProperty("onnx", out var onnxElement) && onnxElement.ValueKind == JsonValueKind.Object)
            {
                onnx = new OnnxTensors(
                    Name(onnxElement, "file"), Name(onnxElement, "frames_input"), Name(onnxElement, "frame_count_input"), Name(onnxElement, "probabilities_output"));
                CheckFileName(path, onnx.File, "onnx.file");
                if (!files.ContainsKey(onnx.File))
                {
                    throw new PackageException($"{path}: the manifest has no hash for {onnx.File}");
                }
            }

            string? refused = root.TryGetProperty("onnx_refused", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
            return new PackageManifest(packageDir, classes, openSet, onnx, refused, files.ToDictionary(f => f.Key, f => f.Value.ToLowerInvariant(), StringComparer.Ordinal));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new PackageException($"{path}: not a valid package manifest: {e.Message}", e);
        }
    }

    /// Checks every listed file against its SHA-256 (a missing, irregular or changed file is a PackageException), and
    /// that each of <paramref name="required"/> is listed.
    public void Verify(params IEnumerable<string> required)
    {
        foreach (string name in required)
        {
            if (!Files.ContainsKey(name))
            {
                throw new PackageException($"{Path.Combine(PackageDir, PackageContract.ManifestFile)}: the manifest has no hash for {name}, so it cannot be checked");
            }
        }

        foreach (string name in Files.Keys)
        {
            ReadVerified(name);
        }
    }

    /// The bytes of a listed file, after checking them against the manifest's SHA-256.
    public byte[] ReadVerified(string name)
    {
        string path = Path.Combine(PackageDir, name);
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new PackageException($"{path}: listed in the manifest but missing");
        }

        byte[] bytes = ReadBounded(path, PackageContract.MaxFileBytes);
        string actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
        string expected = Files[name];
        if (actual != expected)
        {
            throw new PackageException($"{path}: SHA-256 {actual} does not match the manifest's {expected}: the file was changed or belongs to another package");
        }

        return bytes;
    }

    /// Reads a package file whole, refusing links, folders, devices and pipes (which report no length) and files over
    /// the limit, and never reading more than the length checked.
    private static byte[] ReadBounded(string path, long limit)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null)
        {
            throw new PackageException($"{path}: is a symbolic link; package files must be regular files inside the package folder");
        }

        if (Directory.Exists(path))
        {
            throw new PackageException($"{path}: is a folder, not a package file");
        }

        if (info.Length == 0)
        {
            throw new PackageException($"{path}: is empty or not a regular file");
        }

        if (info.Length > limit)
        {
            throw new PackageException($"{path}: {info.Length:N0} bytes is more than the {limit:N0} a package file may have");
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.None);
        var bytes = new byte[info.Length];
        stream.ReadExactly(bytes);
        if (stream.ReadByte() >= 0)
        {
            throw new PackageException($"{path}: grew while it was being read");
        }

        return bytes;
    }

    private static void CheckClasses(string path, string[] classes)
    {
        if (classes.Length == 0)
        {
            throw new PackageException($"{path}: the manifest lists no classes");
        }

        if (classes.Any(string.IsNullOrWhiteSpace))
        {
            throw new PackageException($"{path}: a class has no name");
        }

        string? duplicate = classes.GroupBy(c => c, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1)?.Key;
        if (duplicate is not null)
        {
            throw new PackageException($"{path}: the class '{duplicate}' is listed more than once");
        }
    }

    /// The open-set flag: absent or false for a closed model; true only with "other" as the last of two or more classes.
    private static bool ReadOpenSet(string path, JsonElement root, string[] classes)
    {
        if (!root.TryGetProperty(PackageContract.OpenSetField, out var flag) || flag.ValueKind == JsonValueKind.False || flag.ValueKind == JsonValueKind.Null)
        {
            return false;
        }

        if (flag.ValueKind != JsonValueKind.True)
        {
            throw new PackageException($"{path}: {PackageContract.OpenSetField} is {flag.ValueKind.ToString().ToLowerInvariant()}, not true or false");
        }

        if (classes.Length < 2 || classes[^1] != PackageContract.OtherClass)
        {
            throw new PackageException($"{path}: an open-set model's classes end with '{PackageContract.OtherClass}', but these end with '{classes[^1]}'");
        }

        return true;
    }

    /// A name the manifest gives a package file must name a file directly inside the package folder.
    private static void CheckFileName(string path, string name, string field)
    {
        bool plain = name.Length > 0 && name != "." && name != ".." && name.IndexOfAny(['/', '\\', '\0', ':']) < 0 && !Path.IsPathRooted(name);
        if (!plain)
        {
            throw new PackageException($"{path}: {field} names '{name}', which is not a plain file name inside the package folder");
        }
    }

    private static string Name(JsonElement element, string property)
    {
        string? value = element.GetProperty(property).GetString();
        return string.IsNullOrEmpty(value) ? throw new JsonException($"onnx.{property} is empty") : value;
    }

    /// The ONNX file and the tensor names the manifest gives it.
    internal sealed record OnnxTensors(string File, string FramesInput, string FrameCountInput, string ProbabilitiesOutput);
}
