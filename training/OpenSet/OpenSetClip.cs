using Custom.Data.AudioSet;
using Custom.Data.Ingest;
using Custom.Data.Selection;

namespace Custom.Training.OpenSet;

/// <summary>A clip of any labels and the positions of the selected classes it carries: none, one or several.</summary>
/// <param name="Clip">The clip.</param>
/// <param name="Positions">Distinct class positions in the <see cref="ClassSet"/>, ascending.</param>
public sealed record OpenSetClip(AudioSetClip Clip, IReadOnlyList<int> Positions)
{
    /// <summary>The clip with the positions of the classes of <paramref name="classes"/> among its labels.</summary>
    public static OpenSetClip Of(AudioSetClip clip, ClassSet classes)
    {
        ArgumentNullException.ThrowIfNull(clip);
        ArgumentNullException.ThrowIfNull(classes);
        return new(clip, clip.Labels.Select(classes.PositionOf).Where(p => p >= 0).Distinct().Order().ToArray());
    }

    /// <summary>Every clip of the files, in file and record order, with its positions.</summary>
    public static IReadOnlyList<OpenSetClip> Read(IReadOnlyList<string> files, ClassSet classes, IngestOptions options) =>
        AudioSetIngest.ReadClips(files, options).Select(c => Of(c, classes)).ToList();
}
