using System.Globalization;
using System.Text;
using System.Text.Json;
using Custom.Data.Selection;
using static System.FormattableString;

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

            int answer = ArgMax(row);
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

    // Strictly greater keeps the lowest label on ties, as MulticlassMetrics does.
    private static int ArgMax(float[] row)
    {
        int best = 0;
        for (int j = 1; j < row.Length; j++)
        {
            if (row[j] > row[best])
            {
                best = j;
            }
        }

        return best;
    }
}

/// <summary>
/// The open-set part of <c>metrics.json</c>: the model's <see cref="OpenSetMetrics"/> (its (K+1)-class figures on every
/// clip are the document's main figures) and, beside them, the closed model's.
/// </summary>
/// <param name="Figures">The open-set model's figures.</param>
/// <param name="Closed">The closed model's headline figures on the same clips, or null when not known.</param>
public sealed record OpenSetSection(OpenSetMetrics Figures, ClosedFigures? Closed)
{
    internal void WriteJson(Utf8JsonWriter json)
    {
        var f = Figures;
        json.WriteStartObject("open_set");
        json.WriteString("other_class", f.All.Classes[^1].Name);
        json.WriteNumber("none_clips", f.NoneClips);
        json.WriteNumber("none_given_known", f.NoneGivenKnown);
        json.WriteNumber("none_given_known_share", f.NoneGivenKnownShare);
        json.WriteNumber("multi_clips", f.MultiClips);
        json.WriteNumber("selected_clips", f.SelectedClips);
        json.WriteNumber("selected_macro_f1", f.SelectedMacroF1);
        json.WriteNumber("selected_accuracy", f.SelectedAccuracy);
        json.WriteNumber("selected_given_other", f.SelectedGivenOther);
        if (f.Selected is { } selected)
        {
            json.WriteStartArray("selected_per_class");
            foreach (var c in selected.PerClass.Take(selected.Classes.Count - 1))
            {
                json.WriteStartObject();
                json.WriteString("name", c.Name);
                json.WriteNumber("precision", c.Precision);
                json.WriteNumber("recall", c.Recall);
                json.WriteNumber("f1", c.F1);
                json.WriteNumber("support", c.Support);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        if (Closed is { } closed)
        {
            json.WriteStartObject("closed_model");
            json.WriteString("candidate", closed.Candidate);
            json.WriteNumber("macro_f1", closed.MacroF1);
            json.WriteNumber("none_given_known_share", closed.NoneGivenKnownShare);
            json.WriteNumber("selected_macro_f1", closed.SelectedMacroF1);
            json.WriteNumber("selected_accuracy", closed.SelectedAccuracy);
            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    internal void WriteMarkdown(StringBuilder md, string split)
    {
        var f = Figures;
        int known = f.All.Classes.Count - 1;
        md.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"## Open set: {known} classes or \"{Text.Cell(f.All.Classes[^1].Name)}\" on every {Text.Cell(split)} clip").AppendLine();
        md.AppendLine(Invariant($"{Text.Count(f.All.Count)} clips: {Text.Count(f.SelectedClips)} carry exactly one of the {known} classes, {Text.Count(f.NoneClips)} none of them, {Text.Count(f.MultiClips)} several (any of their own labels counts as right)."));
        md.AppendLine().AppendLine("| figure | this model | closed model |").AppendLine("|---|---:|---:|");
        md.AppendLine(Invariant($"| {known + 1}-class macro-F1, all clips | {Text.Figure(f.All.MacroF1)} | {Text.Figure(Closed?.MacroF1)} |"));
        md.AppendLine(Invariant($"| none-clips given one of the {known} | {Text.Figure(f.NoneGivenKnownShare)} ({Text.Count(f.NoneGivenKnown)}) | {Text.Figure(Closed?.NoneGivenKnownShare)} |"));
        md.AppendLine(Invariant($"| {known}-class macro-F1, selected clips (\"other\" counts wrong) | {Text.Figure(f.SelectedMacroF1)} | {Text.Figure(Closed?.SelectedMacroF1)} |"));
        md.AppendLine(Invariant($"| accuracy, selected clips | {Text.Figure(f.SelectedAccuracy)} | {Text.Figure(Closed?.SelectedAccuracy)} |"));
        md.AppendLine(Invariant($"| selected clips answered \"other\" | {Text.Count(f.SelectedGivenOther)} | 0 |"));
        if (Closed is not null)
        {
            md.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"Closed model: {Text.Cell(Closed.Candidate)}, the same candidate trained on the selected clips only.");
        }
    }
}

/// <summary>A closed model's headline figures on the clips of an <see cref="OpenSetMetrics"/>.</summary>
/// <param name="Candidate">The closed candidate's name.</param>
/// <param name="MacroF1">(K+1)-class macro-F1 on every clip.</param>
/// <param name="NoneGivenKnownShare">Share of none-clips given one of the K classes (1 for a closed model).</param>
/// <param name="SelectedMacroF1">K-class macro-F1 on the selected clips.</param>
/// <param name="SelectedAccuracy">Accuracy on the selected clips.</param>
public sealed record ClosedFigures(string Candidate, double MacroF1, double NoneGivenKnownShare, double SelectedMacroF1, double SelectedAccuracy)
{
    /// <summary>The headline figures of a closed model's <see cref="OpenSetMetrics"/>.</summary>
    public static ClosedFigures Of(string candidate, OpenSetMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return new(candidate, metrics.All.MacroF1, metrics.NoneGivenKnownShare, metrics.SelectedMacroF1, metrics.SelectedAccuracy);
    }
}
