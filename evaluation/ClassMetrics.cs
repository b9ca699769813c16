namespace Custom.Evaluation;

/// <summary>Figures for one class. A ratio whose denominator is zero (no predictions, no support) is 0.</summary>
/// <param name="Name">The class's display name.</param>
/// <param name="Index">The class's AudioSet index.</param>
/// <param name="Label">The class's position in the class set: the label a model learns.</param>
/// <param name="Precision">True positives / clips predicted as this class.</param>
/// <param name="Recall">True positives / clips of this class.</param>
/// <param name="F1">Harmonic mean of precision and recall: 2·TP / (2·TP + FP + FN).</param>
/// <param name="Support">Clips whose true class is this one.</param>
public sealed record ClassMetrics(string Name, int Index, int Label, double Precision, double Recall, double F1, int Support);
