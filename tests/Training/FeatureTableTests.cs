using Custom.Training.Validation;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Custom.Tests.Training;

public sealed class FeatureTableTests
{
    [Fact]
    public void Class_weights_are_inverse_to_frequency_with_mean_one()
    {
        var labels = new[] { 0, 0, 0, 1 };
        var table = new FeatureTable(labels.Select(l => new float[] { l, 1 }).ToArray(), labels, 3);
        var ml = new MLContext(1);
        var weights = table.View(ml, [0, 1, 2, 3], classWeighted: true).GetColumn<float>(FeatureTable.WeightColumn).ToArray();
        Assert.Equal(1f, weights.Average(), 5);
        Assert.Equal(3 * weights[0], weights[3], 5);
        Assert.All(table.View(ml, [0, 3], classWeighted: false).GetColumn<float>(FeatureTable.WeightColumn), w => Assert.Equal(1f, w));
    }

    [Fact]
    public void Labels_become_ml_net_keys_in_class_order()
    {
        var labels = new[] { 2, 0, 1 };
        var table = new FeatureTable(labels.Select(l => new float[] { l }).ToArray(), labels, 3);
        var keys = table.View(new MLContext(1), [0, 1, 2], false).GetColumn<uint>(FeatureTable.LabelColumn).ToArray();
        Assert.Equal([3u, 1u, 2u], keys); // key = position + 1; 0 would mean missing
    }
}
