using Custom.Data.Selection;

namespace Custom.Data.Ingest;

/// <summary>
/// An AudioSet embeddings folder: split subfolders of <c>.tfrecord</c> files (<c>bal_train</c>, <c>eval</c>,
/// <c>unbal_train</c>) and, optionally, <c>class_labels_indices.csv</c>. <see cref="AudioSetLocator"/> finds it.
/// </summary>
public sealed class AudioSetFolder
{
    /// <summary>Split folder names looked for, in report order.</summary>
    public static IReadOnlyList<string> KnownSplits { get; } = ["bal_train", "eval", "unbal_train"];

    private readonly Dictionary<string, IReadOnlyList<string>> _files = new();
    private LabelCatalog? _catalog;

    private AudioSetFolder(string root, IReadOnlyList<string> splits)
    {
        Root = root;
        Splits = splits;
    }

    /// <summary>The folder.</summary>
    public string Root { get; }

    /// <summary>The split folders present, in <see cref="KnownSplits"/> order.</summary>
    public IReadOnlyList<string> Splits { get; }

    /// <summary>Path of the label CSV, whether or not it exists.</summary>
    public string LabelsPath => Path.Combine(Root, "class_labels_indices.csv");

    /// <summary>The environment variable that points at the AudioSet folder (<see cref="AudioSetLocator.EnvironmentVariable"/>).</summary>
    public const string EnvironmentVariable = AudioSetLocator.EnvironmentVariable;

    /// <summary>The folder to use when none is named: <see cref="AudioSetLocator.Resolve"/>.</summary>
    /// <returns>A path, which may not exist.</returns>
    public static string DefaultRoot() => AudioSetLocator.Resolve();

    /// <summary>Opens a folder; one that is missing or holds no split folder is an <see cref="InvalidInputException"/>.</summary>
    public static AudioSetFolder Open(string root)
    {
        if (File.Exists(root))
        {
            throw new InvalidInputException($"{root}: is a file, not an AudioSet folder (expected a folder with {string.Join("/, ", KnownSplits)}/ inside)");
        }

        if (!Directory.Exists(root))
        {
            throw new InvalidInputException($"{root}: folder not found");
        }

        var splits = KnownSplits.Where(s => Directory.Exists(Path.Combine(root, s))).ToList();
        if (splits.Count == 0)
        {
            throw new InvalidInputException($"{root}: no split folders found (expected {string.Join("/, ", KnownSplits)}/ holding .tfrecord files)");
        }

        return new AudioSetFolder(root, splits);
    }

    /// <summary>The split's <c>.tfrecord</c> files in ordinal name order (a stable order on every machine).</summary>
    public IReadOnlyList<string> FilesOf(string split)
    {
        if (!Splits.Contains(split))
        {
            throw new InvalidInputException($"{Root}: no split '{split}' (present: {string.Join(", ", Splits)})");
        }

        if (!_files.TryGetValue(split, out var files))
        {
            files = AudioSetIngest.ResolveFiles(Path.Combine(Root, split));
            _files[split] = files;
        }

        return files;
    }

    /// <summary>The label catalog when <c>class_labels_indices.csv</c> is present, else null.</summary>
    public LabelCatalog? Catalog => _catalog ??= File.Exists(LabelsPath) ? LabelCatalog.Load(LabelsPath) : null;
}
