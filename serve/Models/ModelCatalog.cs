using System.Text.Json;
using Custom.Data;
using Custom.Inference;

namespace Custom.Serve.Models;

/// The packages the service scores with, loaded once at start and never changed afterwards: requests only read it.
internal sealed class ModelCatalog : IDisposable
{
    private readonly Dictionary<string, LoadedModel> _byName;

    private ModelCatalog(IReadOnlyList<LoadedModel> models)
    {
        All = models;
        _byName = models.ToDictionary(m => m.Name, StringComparer.Ordinal);
    }

    public IReadOnlyList<LoadedModel> All { get; }

    /// The first package given.
    public LoadedModel Default => All[0];

    /// Loads every package (each verified against its manifest's SHA-256 by Custom.Inference).
    public static ModelCatalog Load(IReadOnlyList<ModelSource> sources)
    {
        if (sources.Count == 0)
        {
            throw new InvalidInputException("no model: give at least one --model PACKAGE");
        }

        var duplicate = sources.GroupBy(s => s.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidInputException($"--model: the name '{duplicate.Key}' is used twice; name them with NAME=PACKAGE");
        }

        var loaded = new List<LoadedModel>();
        try
        {
            foreach (var source in sources)
            {
                SoundClassifier classifier;
                try
                {
                    classifier = SoundClassifier.Load(source.PackageDir);
                }
                catch (PackageException e)
                {
                    throw new InvalidInputException(e.Message, e);
                }

                loaded.Add(new LoadedModel(source.Name, classifier, Describe(source, classifier, loaded.Count == 0)));
            }
        }
        catch
        {
            loaded.ForEach(m => m.Classifier.Dispose());
            throw;
        }

        return new ModelCatalog(loaded);
    }

    /// Finds a model by name; null picks the default.
    public LoadedModel? Find(string? name) =>
        string.IsNullOrEmpty(name) ? Default : _byName.GetValueOrDefault(name);

    public void Dispose()
    {
        foreach (var model in All)
        {
            model.Classifier.Dispose();
        }
    }

    // The manifest was verified by SoundClassifier.Load; these fields are informative, so a missing one stays null.
    private static ModelDescription Describe(ModelSource source, SoundClassifier classifier, bool isDefault)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(source.PackageDir, "manifest.json")));
        var root = manifest.RootElement;
        string? Text(string property) => root.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        var metrics = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (root.TryGetProperty("metrics", out var m) && m.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in m.EnumerateObject())
            {
                metrics[property.Name] = property.Value.Clone();
            }
        }

        return new ModelDescription(source.Name, isDefault, Text("candidate"), Text("trainer"), Text("features"), Text("created_utc"),
            classifier.Classes, metrics) { OpenSet = classifier.OpenSet };
    }
}
