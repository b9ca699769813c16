namespace Custom.Data.Selection;

/// <summary>An AudioSet class: its row index in class_labels_indices.csv, its ontology MID and a display name.</summary>
public sealed record SoundClass(int Index, string Mid, string Name);
