using Microsoft.ML;
using Microsoft.ML.Data;

namespace Custom.Training.Validation;

/// One row of precomputed features, as ML.NET reads it. The vector's length is set per table through a schema
/// definition, since it depends on the feature kind.
internal sealed class FeatureRow
{
    public float[] Features { get; set; } = [];

    public uint Label { get; set; }

    public float Weight { get; set; }
}

/// <summary>
/// Features computed once per feature kind for every clip, so cross-validation folds and the final fit share them.
/// Labels are ML.NET keys with the class count fixed, so key order is class-set order. LoadFromEnumerable reads the
/// uint of a key column as a 0-based position and stores key = position + 1 (0 being "missing"); the class position
/// goes in as is.
/// </summary>
internal sealed class FeatureTable
{
    public const string FeaturesColumn = "Features";
    public const string LabelColumn = "Label";
    public const string WeightColumn = "Weight";

    private readonly float[][] _features;
    private readonly int[] _labels;

    public FeatureTable(float[][] features, int[] labels, int classCount)
    {
        _features = features;
        _labels = labels;
        ClassCount = classCount;
        Dimension = features.Length == 0 ? 0 : features[0].Length;
    }

    public int ClassCount { get; }

    public int Dimension { get; }

    public int Count => _labels.Length;

    public IReadOnlyList<int> Labels => _labels;

    /// Rows <paramref name="indices"/> as a data view; weights ∝ 1 / class frequency within those rows when asked
    /// (mean weight 1), else 1.
    public IDataView View(MLContext ml, IReadOnlyList<int> indices, bool classWeighted)
    {
        var counts = new int[ClassCount];
        foreach (int i in indices)
        {
            counts[_labels[i]]++;
        }

        int present = counts.Count(c => c > 0);
        var rows = indices.Select(i => new FeatureRow
        {
            Features = _features[i],
            Label = (uint)_labels[i],
            Weight = classWeighted ? indices.Count / (float)(present * counts[_labels[i]]) : 1f,
        });
        var schema = SchemaDefinition.Create(typeof(FeatureRow));
        schema[FeaturesColumn].ColumnType = new VectorDataViewType(NumberDataViewType.Single, Dimension);
        schema[LabelColumn].ColumnType = new KeyDataViewType(typeof(uint), ClassCount);
        return ml.Data.LoadFromEnumerable(rows.ToList(), schema);
    }
}
