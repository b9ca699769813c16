using Custom.Training.Features;
using Custom.Training.Validation;
using Microsoft.ML;

namespace Custom.Training;

/// <summary>Saves and loads <c>model.zip</c>: the ML.NET pipeline from <see cref="FrameInput"/> to class scores.</summary>
public static class SavedModel
{
    /// <summary>
    /// Loads a model saved by <c>custom train</c>. The featurizer is a custom mapping, so this assembly is registered
    /// with the context first — <c>MLContext.Model.Load</c> works directly after
    /// <c>ml.ComponentCatalog.RegisterAssembly(typeof(SavedModel).Assembly)</c>.
    /// </summary>
    public static ITransformer Load(MLContext ml, string path)
    {
        Register(ml);
        using var stream = File.OpenRead(path);
        return ml.Model.Load(stream, out _);
    }

    /// <summary>Class probabilities (label order) of a loaded model for each clip's frames.</summary>
    public static float[][] Predict(MLContext ml, ITransformer model, IEnumerable<ReadOnlyMemory<byte>> clipFrames)
    {
        var inputs = ml.Data.LoadFromEnumerable(clipFrames.Select(f => FrameInput.From(f.Span)).ToList());
        return CandidateFit.Probabilities(model.Transform(inputs));
    }

    internal static void Register(MLContext ml) => ml.ComponentCatalog.RegisterAssembly(typeof(SavedModel).Assembly);
}
