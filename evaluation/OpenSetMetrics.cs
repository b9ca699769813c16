using System.Globalization;
using Custom.Data.Selection;

namespace Custom.Evaluation;

/// <summary>
/// Figures of an open-set answer — one of K classes or "other", the last class — on every clip of a split, whatever
/// its labels. Each clip is described by the positions of the selected classes it carries: none (a none-clip, whose
/// truth is "other"), one (a selected clip), or several (a multi-clip).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><see cref="All"/>: (K+1)-class figures on every clip. A multi-clip's truth is the class answered when that is
/// one of its labels, otherwise the first of its labels in class order: any of its own labels is a right answer.</item>
/// <item><see cref="NoneGivenKnown"/>: none-clips given one of the K classes (the rest were answered "other").</item>
/// <item><see cref="SelectedMacroF1"/>, <see cref="SelectedAccuracy"/>: the K-class figures on the selected clips,
/// with an "other" answer counted wrong; macro-F1 is the mean F1 of the K classes present in the truth or the answers,
/// "other" itself not being one of them. For a closed model (never answering "other") these are its usual figures.</item>
/// </list>
/// </remarks>
public sealed class OpenSetMetrics
{
    private OpenSetMetrics(MulticlassMetrics all, MulticlassMetrics? selected, int noneClips, int noneGivenKnown, int multiClips)
    {
        All = all;
        Selected = selected;
        NoneClips = noneClips;
        NoneGivenKnown = noneGivenKnown;
        MultiClips = multiClips;
        if (selected is not null)
        {
            int known = selected.Classes.Count - 1;
            var matrix = selected.ConfusionMatrix;
            double sum = 0;
            int present = 0;
            for (int k = 0; k < known; k++)
            {
                int support = matrix[k].Sum();
                int predicted = matrix.Sum(row => row[k]);
                if (support > 0 || predicted > 0)
                {
                    present++;
                    sum += selected.PerClass[k].F1;
                }
            }

            SelectedMacroF1 = present == 0 ? 0 : sum / present;
            SelectedAccuracy = selected.Accuracy;
            SelectedGivenOther = matrix.Sum(row => row[known]);
        }
    }

    /// <summary>(K+1)-class figures on every clip (see the remarks for multi-clips).</summary>
    public MulticlassMetrics All { get; }

    /// <summary>(K+1)-class figures on the selected clips only, or null when there are none.</summary>
    public MulticlassMetrics? Selected { get; }

    /// <summary>Clips carrying none of the K classes.</summary>
    public int NoneClips { get; }

    /// <summary>None-clips answered with one of the K classes.</summary>
    public int NoneGivenKnown { get; }

    /// <summary><see cref="NoneGivenKnown"/> / <see cref="NoneClips"/> (0 without none-clips).</summary>
    public double NoneGivenKnownShare => NoneClips == 0 ? 0 : (double)NoneGivenKnown / NoneClips;

    /// <summary>Clips carrying several of the K classes.</summary>
    public int MultiClips { get; }

    /// <summary>Clips carrying exactly one of the K classes.</summary>
    public int SelectedClips => Selected?.Count ?? 0;

    /// <summary>Mean F1 of the K classes on the selected clips, an "other" answer counting wrong.</summary>
    public double SelectedMacroF1 { get; }

    /// <summary>Accuracy on the selected clips, an "other" answer counting wrong.</summary>
    public double SelectedAccuracy { get; }

    /// <summary>Selected clips answered "other".</summary>
    public int SelectedGivenOther { get; }

    /// <summary>
    /// Computes the figures. <paramref name="classes"/> holds the K classes and then "other";
    /// <paramref name="positions"/>[i] the selected classes clip i carries (positions below K);
    /// <paramref name="probabilities"/>[i] one probability per class of <paramref name="classes"/>. The answer is the
    /// most probable class, ties going to the lowest position, as in <see cref="MulticlassMetrics"/>.
    /// </summary>
    /// <exception cref="ArgumentException">Counts differ, no clips, a row of the wrong length or a position out of range.</exception>
    public static OpenSetMetrics Compute(ClassSet classes, IReadOnlyList<IReadOnlyList<int>> positions, IReadOnlyList<float[]> probabilities)
    {
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(positions);
        ArgumentNullException.ThrowIfNull(probabilities);
        if (classes.Count < 2)
        {
            throw new ArgumentException("an open set needs at least one class and 'other'", nameof(classes));
        }

        if (positions.Count != probabilities.Count)
        {
            throw new ArgumentException($"{positions.Count} clips but {probabilities.Count} probability rows: they must pair up", nameof(probabilities));
        }

        int other = classes.Count - 1;
        var truth = new int[positions.Count];
        var selectedRows = new List<int>();
        int none = 0, noneKnown = 0, multi = 0;
        for (int i = 0; i < positions.Count; i++)
        {
            var labels = positions[i];
            if (labels.Any(p => (uint)p >= (uint)other))
            {
                throw new ArgumentException($"positions[{i}] holds a position outside 0..{other - 1}", nameof(positions));
            }

            var row = probabilities[i];
            if (row is null || row.Length != classes.Count)
            {
                throw new ArgumentException($"probabilities[{i}] has {row?.Length.ToString(CultureInfo.InvariantCulture) ?? "no"} entries: expected {classes.Count}", nameof(probabilities));
            }

            int answer = MulticlassMetrics.ArgMax(row);
            switch (labels.Count)
            {
                case 0:
                    truth[i] = other;
                    none++;
                    noneKnown += answer == other ? 0 : 1;
                    break;
                case 1:
                    truth[i] = labels[0];
                    selectedRows.Add(i);
                    break;
                default:
                    truth[i] = labels.Contains(answer) ? answer : labels.Min();
                    multi++;
                    break;
            }
        }

        var all = MulticlassMetrics.Compute(classes, truth, probabilities);
        var selected = selectedRows.Count == 0 ? null : MulticlassMetrics.Compute(classes, selectedRows.Select(i => truth[i]).ToArray(), selectedRows.Select(i => probabilities[i]).ToArray());
        return new OpenSetMetrics(all, selected, none, noneKnown, multi);
    }

    /// <summary>Copies of closed-model rows (K probabilities) with a zero probability of "other" appended.</summary>
    public static float[][] WithOtherColumn(IReadOnlyList<float[]> closedProbabilities) =>
        closedProbabilities.Select(row =>
        {
            var wider = new float[row.Length + 1];
            row.CopyTo(wider, 0);
            return wider;
        }).ToArray();
}
