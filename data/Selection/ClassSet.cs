using System.Collections;

namespace Custom.Data.Selection;

/// <summary>
/// The ordered classes a model learns. A class's position in the set is its label (0 … Count-1);
/// its <see cref="SoundClass.Index"/> is the AudioSet index found in the records.
/// </summary>
public sealed class ClassSet : IReadOnlyList<SoundClass>
{
    private readonly SoundClass[] _classes;
    private readonly Dictionary<int, int> _positionByIndex;

    /// <summary>Creates a set; AudioSet indices must be distinct.</summary>
    public ClassSet(IEnumerable<SoundClass> classes)
    {
        _classes = classes.ToArray();
        if (_classes.Length == 0)
        {
            throw new InvalidInputException("a class set needs at least one class");
        }

        _positionByIndex = new Dictionary<int, int>();
        for (int i = 0; i < _classes.Length; i++)
        {
            if (!_positionByIndex.TryAdd(_classes[i].Index, i))
            {
                throw new InvalidInputException($"class '{_classes[i].Name}' (AudioSet index {_classes[i].Index}) is listed twice");
            }
        }
    }

    /// <summary>The ten urban sound classes, in AudioSet index order.</summary>
    public static ClassSet Default { get; } = new(
    [
        new SoundClass(0, "/m/09x0r", "Speech"),
        new SoundClass(3, "/m/0ytgt", "Child speech"),
        new SoundClass(74, "/m/0bt9lr", "Dog"),
        new SoundClass(115, "/m/0h0rv", "Pigeon/dove"),
        new SoundClass(138, "/m/04szw", "Musical instrument"),
        new SoundClass(307, "/m/0k4j", "Car"),
        new SoundClass(308, "/m/0912c9", "Vehicle horn"),
        new SoundClass(328, "/m/06d_3", "Rail transport"),
        new SoundClass(396, "/m/03kmc9", "Siren"),
        new SoundClass(420, "/m/03p19w", "Jackhammer"),
    ]);

    /// <inheritdoc />
    public int Count => _classes.Length;

    /// <inheritdoc />
    public SoundClass this[int position] => _classes[position];

    /// <summary>The class names in position order.</summary>
    public IReadOnlyList<string> Names => _classes.Select(c => c.Name).ToArray();

    /// <summary>Position of the class with AudioSet index <paramref name="audioSetIndex"/>, or -1.</summary>
    public int PositionOf(int audioSetIndex) => _positionByIndex.GetValueOrDefault(audioSetIndex, -1);

    /// <summary>
    /// Builds a set from names or AudioSet indices, in the order given. A token matches a default class's short
    /// name, an index, a MID, or a display name in <paramref name="catalog"/> (case-insensitive).
    /// </summary>
    public static ClassSet Resolve(IEnumerable<string> namesOrIndices, LabelCatalog? catalog)
    {
        var resolved = new List<SoundClass>();
        foreach (string raw in namesOrIndices)
        {
            string token = raw.Trim();
            var match = Find(token, catalog) ?? throw new InvalidInputException(UnknownClassMessage(token, catalog));
            resolved.Add(match);
        }

        return new ClassSet(resolved);
    }

    private static SoundClass? Find(string token, LabelCatalog? catalog)
    {
        bool isIndex = int.TryParse(token, out int index);
        foreach (var known in Default._classes)
        {
            if ((isIndex && known.Index == index) || Matches(known, token))
            {
                return known;
            }
        }

        if (catalog is null)
        {
            return null;
        }

        return isIndex ? catalog.FindIndex(index) : catalog.Entries.FirstOrDefault(e => Matches(e, token));
    }

    private static bool Matches(SoundClass c, string token) =>
        string.Equals(c.Name, token, StringComparison.OrdinalIgnoreCase) || string.Equals(c.Mid, token, StringComparison.Ordinal);

    private static string UnknownClassMessage(string token, LabelCatalog? catalog)
    {
        var candidates = (catalog?.Entries ?? Default._classes)
            .Where(e => e.Name.Contains(token, StringComparison.OrdinalIgnoreCase))
            .Take(5)
            .Select(e => $"'{e.Name}' ({e.Index})")
            .ToList();
        string hint = candidates.Count > 0
            ? "did you mean " + string.Join(", ", candidates) + "?"
            : catalog is null ? "known without a label file: " + string.Join(", ", Default.Names) : "see class_labels_indices.csv";
        return $"unknown class '{token}': {hint}";
    }

    /// <summary>
    /// Writes the set as the <c>"classes"</c> array every score file shares:
    /// <c>[{"index":…,"mid":…,"name":…}, …]</c> in label order.
    /// </summary>
    public void WriteJson(System.Text.Json.Utf8JsonWriter json)
    {
        json.WriteStartArray("classes");
        foreach (var c in _classes)
        {
            json.WriteStartObject();
            json.WriteNumber("index", c.Index);
            json.WriteString("mid", c.Mid);
            json.WriteString("name", c.Name);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    /// <inheritdoc />
    public IEnumerator<SoundClass> GetEnumerator() => ((IEnumerable<SoundClass>)_classes).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
