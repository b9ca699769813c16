namespace Custom.Evaluation;

/// <summary>
/// The one ranking rule of a comparison: candidates by mean cross-validated macro-F1 over their folds, best first,
/// ties broken by name (ordinal). Training ranks its candidates and the leaderboard its entries with it.
/// </summary>
public static class Ranking
{
    /// <summary>Mean of the per-fold figures; 0 when there are none.</summary>
    /// <param name="folds">One figure per held-out fold.</param>
    /// <returns>The arithmetic mean, summed in fold order.</returns>
    public static double Mean(IReadOnlyList<double> folds)
    {
        ArgumentNullException.ThrowIfNull(folds);
        return folds.Count == 0 ? 0 : folds.Sum() / folds.Count;
    }

    /// <summary>Sample standard deviation (n − 1) of the per-fold figures; 0 for fewer than two.</summary>
    /// <param name="folds">One figure per held-out fold.</param>
    /// <returns>The sample standard deviation.</returns>
    public static double SampleStd(IReadOnlyList<double> folds)
    {
        ArgumentNullException.ThrowIfNull(folds);
        int n = folds.Count;
        if (n < 2)
        {
            return 0;
        }

        double mean = Mean(folds);
        return Math.Sqrt(folds.Sum(x => (x - mean) * (x - mean)) / (n - 1));
    }

    /// <summary>Orders <paramref name="items"/> by the rule: mean of their folds descending, then name (ordinal).</summary>
    /// <typeparam name="T">What is ranked.</typeparam>
    /// <param name="items">The candidates.</param>
    /// <param name="name">A candidate's unique name.</param>
    /// <param name="folds">A candidate's per-fold macro-F1.</param>
    /// <returns>The candidates, best first.</returns>
    public static IReadOnlyList<T> Rank<T>(IEnumerable<T> items, Func<T, string> name, Func<T, IReadOnlyList<double>> folds) =>
        items.OrderByDescending(item => Mean(folds(item))).ThenBy(name, StringComparer.Ordinal).ToArray();
}
