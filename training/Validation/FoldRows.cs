namespace Custom.Training.Validation;

/// The rows each cross-validation fold holds out and trains on, computed once per session: every candidate shares the
/// same fold assignment.
internal sealed class FoldRows
{
    public FoldRows(int[] foldOf, int folds)
    {
        HeldOut = Enumerable.Range(0, folds).Select(fold => Rows(foldOf, f => f == fold)).ToArray();
        Training = Enumerable.Range(0, folds).Select(fold => Rows(foldOf, f => f != fold)).ToArray();
    }

    public int Folds => HeldOut.Length;

    public int[][] HeldOut { get; }

    public int[][] Training { get; }

    private static int[] Rows(int[] foldOf, Func<int, bool> keep) =>
        Enumerable.Range(0, foldOf.Length).Where(i => keep(foldOf[i])).ToArray();
}
