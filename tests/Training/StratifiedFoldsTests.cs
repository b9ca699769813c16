using Custom.Training.Validation;

namespace Custom.Tests.Training;

public sealed class StratifiedFoldsTests
{
    private static readonly int[] Labels = Enumerable.Range(0, 503).Select(i => i % 7 == 0 ? 1 : i % 31 == 0 ? 2 : 0).ToArray();

    [Fact]
    public void Every_fold_gets_its_share_of_every_class()
    {
        var folds = StratifiedFolds.Assign(Labels, 5, 42);
        foreach (int label in Labels.Distinct())
        {
            var perFold = Enumerable.Range(0, 5).Select(f => Enumerable.Range(0, Labels.Length).Count(i => Labels[i] == label && folds[i] == f)).ToArray();
            Assert.True(perFold.Max() - perFold.Min() <= 1, $"class {label}: {string.Join(",", perFold)}");
        }

        var sizes = Enumerable.Range(0, 5).Select(f => folds.Count(x => x == f)).ToArray();
        Assert.True(sizes.Max() - sizes.Min() <= 1, string.Join(",", sizes));
    }

    [Fact]
    public void The_same_seed_gives_the_same_folds_and_another_seed_other_folds()
    {
        Assert.Equal(StratifiedFolds.Assign(Labels, 5, 42), StratifiedFolds.Assign(Labels, 5, 42));
        Assert.NotEqual(StratifiedFolds.Assign(Labels, 5, 42), StratifiedFolds.Assign(Labels, 5, 43));
    }
}
