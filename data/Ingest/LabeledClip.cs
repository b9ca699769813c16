using Custom.Data.AudioSet;

namespace Custom.Data.Ingest;

/// <summary>A selected clip and its class position in the <see cref="Selection.ClassSet"/> (the model's label).</summary>
public sealed record LabeledClip(AudioSetClip Clip, int Label);
