using Custom.Inference;

namespace Custom.Serve.Models;

/// A package loaded for serving: its classifier and what GET /models says about it.
internal sealed class LoadedModel(string name, SoundClassifier classifier, ModelDescription description)
{
    public string Name { get; } = name;

    public SoundClassifier Classifier { get; } = classifier;

    public ModelDescription Description { get; } = description;
}
