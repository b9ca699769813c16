namespace Custom.Training.Validation;

/// The rows each cross-validation split holds out and trains on, computed once per session: every candidate shares the
/// same fold assignments. With repeated cross-validation there is one assignment per repeat; split s is fold
/// s mod k of repeat s / k.
internal sealed class FoldRows
{
    public FoldRows(IReadOnlyList<int[]> foldOfPerRepeat, int folds)
    {
        Folds = folds;
        Repeats = foldOfPerRepeat.Count;
        HeldOut = foldOfPerRepeat.SelectMany(foldOf => Enumerable.Range(0, folds).Select(fold => Rows(foldOf, f => f == fold))).ToArray();
        Training = foldOfPerRepeat.SelectMany(foldOf => Enumerable.Range(0, folds).Select(fold => Rows(foldOf, f => f != fold))).ToArray();
        Final = Enumerable.Range(0, foldOfPerRepeat.Count == 0 ? 0 : foldOfPerRepeat[0].Length).ToArray();
    }

    /// Repeat r deals the folds with seed + r, so a single repeat is the plain k-fold assignment of the seed.
    public static FoldRows Deal(IReadOnlyList<int> labels, int folds, int repeats, int seed) =>
        new(Enumerable.Range(0, repeats).Select(r => StratifiedFolds.Assign(labels, folds, seed + r)).ToList(), folds);

    private FoldRows(FoldRows source, Func<int, bool> trainable)
    {
        Folds = source.Folds;
        Repeats = source.Repeats;
        HeldOut = source.HeldOut;
        Training = source.Training.Select(rows => rows.Where(trainable).ToArray()).ToArray();
        Final = source.Final.Where(trainable).ToArray();
    }

    /// The rows the final fit trains on: every row, unless restricted.
    public int[] Final { get; }

    /// The same folds, training (in each split and in the final fit) only on the rows <paramref name="trainable"/>
    /// keeps, while every row of a held-out fold is still predicted.
    public FoldRows TrainingOn(Func<int, bool> trainable) => new(this, trainable);

    public int Folds { get; }

    public int Repeats { get; }

    /// Folds × repeats: the fits before the final one.
    public int Splits => HeldOut.Length;

    public int[][] HeldOut { get; }

    public int[][] Training { get; }

    public int RepeatOf(int split) => split / Folds;

    private static int[] Rows(int[] foldOf, Func<int, bool> keep) =>
        Enumerable.Range(0, foldOf.Length).Where(i => keep(foldOf[i])).ToArray();
}
