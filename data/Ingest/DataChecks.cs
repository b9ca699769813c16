using System.Globalization;
using Custom.Data.AudioSet;
using Custom.Data.Selection;

namespace Custom.Data.Ingest;

/// <summary>
/// Problems in data that reads without error but would mislead: the same clip more than once in a split, clips of
/// the evaluation split also in the training split (a leak that inflates every figure), and labels that are not
/// AudioSet classes. Each is a warning in words; the commands print them and go on.
/// </summary>
public static class DataChecks
{
    private const int Examples = 3;

    /// <summary>Warnings for a training split and an evaluation split read for the same run.</summary>
    /// <param name="trainName">The training split's name, for the messages.</param>
    /// <param name="train">Its clips and counts.</param>
    /// <param name="evalName">The evaluation split's name.</param>
    /// <param name="eval">Its clips and counts.</param>
    /// <param name="catalog">The label list, when the data folder has one.</param>
    /// <returns>One sentence per problem; empty when there is none.</returns>
    public static IReadOnlyList<string> Warnings(string trainName, SelectedClips train, string evalName, SelectedClips eval, LabelCatalog? catalog)
    {
        var warnings = new List<string>();
        warnings.AddRange(Warnings(trainName, train, catalog));
        warnings.AddRange(Warnings(evalName, eval, catalog));
        var trainKeys = train.Clips.Select(c => Key(c.Clip)).ToHashSet(StringComparer.Ordinal);
        var shared = eval.Clips.Select(c => Key(c.Clip)).Where(trainKeys.Contains).Distinct(StringComparer.Ordinal).ToList();
        if (shared.Count > 0)
        {
            warnings.Add($"{shared.Count:N0} clips of {evalName} are also in {trainName} (same video_id and start time, e.g. {Sample(shared)}): " +
                $"a model is scored on clips it was trained on, which inflates every figure on {evalName}");
        }

        return warnings;
    }

    /// <summary>Warnings for one split: repeated clips and labels outside the label list.</summary>
    /// <param name="split">The split's name, for the messages.</param>
    /// <param name="clips">Its clips and counts.</param>
    /// <param name="catalog">The label list, when the data folder has one.</param>
    /// <returns>One sentence per problem; empty when there is none.</returns>
    public static IReadOnlyList<string> Warnings(string split, SelectedClips clips, LabelCatalog? catalog)
    {
        var warnings = new List<string>();
        var repeated = clips.Clips.GroupBy(c => Key(c.Clip), StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (repeated.Count > 0)
        {
            warnings.Add($"{split}: {repeated.Count:N0} clips appear more than once (same video_id and start time, e.g. {Sample(repeated)}); " +
                "repeats weigh those clips more and, across folds, score a model on clips it was trained on");
        }

        string? labels = LabelWarning(split, clips.Stats, catalog);
        if (labels is not null)
        {
            warnings.Add(labels);
        }

        return warnings;
    }

    /// <summary>A warning when a split holds labels that are not classes of the label list (or of AudioSet), else null.</summary>
    /// <param name="split">The split's name.</param>
    /// <param name="stats">Its counts.</param>
    /// <param name="catalog">The label list, when the data folder has one.</param>
    /// <returns>The warning, or null.</returns>
    public static string? LabelWarning(string split, SelectionStats stats, LabelCatalog? catalog)
    {
        int limit = catalog is null || catalog.Entries.Count == 0 ? LabelCatalog.AudioSetClassCount : catalog.Entries.Max(e => e.Index) + 1;
        if (stats.MaxLabel < limit)
        {
            return null;
        }

        string count = stats.ClipsWithLabelsBeyondAudioSet > 0 ? $"{stats.ClipsWithLabelsBeyondAudioSet:N0} clips carry labels" : "clips carry labels";
        return $"{split}: {count} outside the label list (up to {stats.MaxLabel}; classes are 0 to {limit - 1}); those labels never select a clip";
    }

    private static string Key(AudioSetClip clip) => clip.VideoId + "@" + clip.StartTimeSeconds.ToString("R", CultureInfo.InvariantCulture);

    private static string Sample(IEnumerable<string> keys) => string.Join(", ", keys.Take(Examples).Select(k => k + "s"));
}
