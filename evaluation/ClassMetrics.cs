namespace Custom.Evaluation;

/// <summary>Figures for one class. A ratio whose denominator is zero (no predictions, no support) is 0.</summary>
/// <param name="Name">The class's display name.</param>
/// <param name="Index">The class's AudioSet index.</param>
/// <param name="Label">The class's position in the class set: the label a model learns.</param>
/// <param name="Precision">True positives / clips predicted as this class.</param>
/// <param name="Recall">True positives / clips of this class.</param>
/// <param name="F1">Harmonic mean of precision and recall: 2·TP / (2·TP + FP + FN).</param>
/// <param name="Support">Clips whose true class is this one.</param>
/// <param name="AveragePrecision">The area under this class's precision–recall curve when every clip is ranked by the
/// class's probability (one class against the rest, as scikit-learn's <c>average_precision_score</c>): how well the
/// model orders this class's clips first, whatever the decision rule; 0 for a class with no support.</param>
public sealed record ClassMetrics(string Name, int Index, int Label, double Precision, double Recall, double F1, int Support, double AveragePrecision)
{
    /// <summary>
    /// Decimal places of average precision in the files (<see cref="ReportedAveragePrecision"/>). It ranks clips by
    /// floating-point probabilities, and two engines (ML.NET, ONNX Runtime) can order two nearly equal probabilities
    /// differently in their last bits, which moves the area by ~1e-7; four places keep the files equal from either.
    /// </summary>
    public const int AveragePrecisionDecimals = 4;

    /// <summary><see cref="AveragePrecision"/> rounded to <see cref="AveragePrecisionDecimals"/> places, as the files store it.</summary>
    public double ReportedAveragePrecision => Math.Round(AveragePrecision, AveragePrecisionDecimals, MidpointRounding.ToEven);
}
