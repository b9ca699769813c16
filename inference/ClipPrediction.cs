namespace Custom.Inference;

/// <summary>The classifier's answer for one clip.</summary>
/// <param name="Label">Position of the predicted class in <see cref="SoundClassifier.Classes"/>.</param>
/// <param name="ClassName">Name of the predicted class.</param>
/// <param name="Score">Probability of the predicted class.</param>
/// <param name="Probabilities">Probability of every class, in <see cref="SoundClassifier.Classes"/> order.</param>
public sealed record ClipPrediction(int Label, string ClassName, float Score, IReadOnlyList<float> Probabilities)
{
    /// <summary>
    /// True when an open-set model (<see cref="SoundClassifier.OpenSet"/>) answered "other": the clip is none of its
    /// classes. Always false for a closed model.
    /// </summary>
    public bool IsOther { get; init; }
}
