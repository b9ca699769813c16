using System.Globalization;
using Custom.Training.OpenSet;

namespace Custom.Cli.Commands;

/// The lines `custom train --open-set` adds after the chosen model: its calibration, cross-validated figures and eval
/// figures beside its closed twin's.
internal static class OpenSetSummary
{
    public static void Write(TextWriter output, OpenSetResult open, double maxDrop, IReadOnlyList<string> classNames, string evalSplit)
    {
        var c = open.Chosen;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"open set: {open.TrainNoneClips:N0} training clips of none of the classes learned as \"other\"; its probability is multiplied, for the class the closed model answers, by (chosen by cross-validation, the selected clips' macro-F1 and accuracy kept within {maxDrop:0.###} of the closed model's):"));
        output.WriteLine("  " + string.Join(", ", c.OtherWeights.Select((w, k) => string.Create(CultureInfo.InvariantCulture, $"{classNames[k]} {w:G4}"))));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  cv: 11-class macro-F1 {Mean(c.FoldMacroF1):F4}; on the selected clips macro-F1 {Mean(c.FoldKnownMacroF1):F4}, accuracy {Mean(c.FoldKnownAccuracy):F4} (closed: {Mean(c.FoldClosedMacroF1):F4}, {Mean(c.FoldClosedAccuracy):F4})"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  cv trade-off of one multiplier for every class (out-of-fold, all folds; closed: selected macro-F1 {c.ClosedReference.MacroF1:F4}, accuracy {c.ClosedReference.Accuracy:F4}):"));
        output.WriteLine("    multiplier | 11-class macro-F1 | selected macro-F1 | selected accuracy | none-clips given a class");
        foreach (var point in c.Curve)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"    {point.Weight,10:G4} | {point.MacroF1,17:F4} | {point.Known.MacroF1,17:F4} | {point.Known.Accuracy,17:F4} | {point.NoneGivenKnownShare,6:P1}"));
        }

        if (c.Eval is { } e && c.ClosedEval is { } closed)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {evalSplit}, all {e.All.Count:N0} clips: 11-class macro-F1 {e.All.MacroF1:F4} (closed {closed.All.MacroF1:F4}); none-clips given one of the classes {e.NoneGivenKnownShare:P1} (closed {closed.NoneGivenKnownShare:P1})"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {evalSplit}, {e.SelectedClips:N0} selected clips: macro-F1 {e.SelectedMacroF1:F4}, accuracy {e.SelectedAccuracy:F4}, {e.SelectedGivenOther:N0} answered \"other\" (closed: {closed.SelectedMacroF1:F4}, {closed.SelectedAccuracy:F4})"));
        }
    }

    private static double Mean(IReadOnlyList<double> values) => values.Count == 0 ? 0 : values.Average();
}
