using System.Globalization;
using System.Text;
using System.Text.Json;
using static System.FormattableString;

namespace Custom.Evaluation;

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
