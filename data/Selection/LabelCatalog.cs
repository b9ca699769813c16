using System.Text;

namespace Custom.Data.Selection;

/// <summary>The AudioSet label list, read from <c>class_labels_indices.csv</c> (<c>index,mid,display_name</c>).</summary>
public sealed class LabelCatalog
{
    private readonly Dictionary<int, SoundClass> _byIndex;

    private LabelCatalog(IReadOnlyList<SoundClass> entries)
    {
        Entries = entries;
        _byIndex = entries.ToDictionary(e => e.Index);
    }

    /// <summary>How many classes AudioSet's ontology labels clips with (indices 0 to 526).</summary>
    public const int AudioSetClassCount = 527;

    /// <summary>All classes in file order.</summary>
    public IReadOnlyList<SoundClass> Entries { get; }

    /// <summary>The class with AudioSet index <paramref name="index"/>, or null.</summary>
    public SoundClass? FindIndex(int index) => _byIndex.GetValueOrDefault(index);

    /// <summary>Reads the CSV; a malformed line is an <see cref="InvalidInputException"/> naming file and line.</summary>
    public static LabelCatalog Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new InvalidInputException($"{path}: label file not found");
        }

        var entries = new List<SoundClass>();
        int lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (lineNumber == 1 || line.Length == 0)
            {
                continue; // header
            }

            var cells = SplitCsvLine(line);
            if (cells is null || cells.Count != 3 || !int.TryParse(cells[0], out int index))
            {
                throw new InvalidInputException($"{path}: line {lineNumber}: expected 'index,mid,display_name', got '{line}'");
            }

            entries.Add(new SoundClass(index, cells[1], cells[2]));
        }

        return new LabelCatalog(entries);
    }

    /// Splits one RFC 4180 line: fields may be quoted, quoted fields may hold commas and doubled quotes.
    /// Returns null for an unterminated quote.
    internal static List<string>? SplitCsvLine(string line)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c != '"')
                {
                    cell.Append(c);
                }
                else if (i + 1 < line.Length && line[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else
                {
                    quoted = false;
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else
            {
                cell.Append(c);
            }
        }

        if (quoted)
        {
            return null;
        }

        cells.Add(cell.ToString());
        return cells;
    }
}
