namespace Custom.Training.Validation;

/// <summary>Stratified k-fold assignment: each class's clips are shuffled with the seed and dealt round-robin.</summary>
public static class StratifiedFolds
{
    /// <summary>
    /// Returns the fold (0 … <paramref name="folds"/>-1) of each item. Every fold gets ⌊n_c/k⌋ or ⌈n_c/k⌉ clips of
    /// each class c. The same labels, folds and seed always give the same assignment.
    /// </summary>
    public static int[] Assign(IReadOnlyList<int> labels, int folds, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 2);
        var assignment = new int[labels.Count];
        var random = new Random(seed);
        int offset = 0;
        foreach (var group in Enumerable.Range(0, labels.Count).GroupBy(i => labels[i]).OrderBy(g => g.Key))
        {
            var members = group.ToArray();
            random.Shuffle(members);
            for (int j = 0; j < members.Length; j++)
            {
                // Rotating the starting fold per class keeps fold sizes balanced overall, not just per class.
                assignment[members[j]] = (offset + j) % folds;
            }

            offset = (offset + members.Length) % folds;
        }

        return assignment;
    }
}
