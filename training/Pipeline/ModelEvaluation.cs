using Custom.Data;
using Custom.Data.Ingest;
using Custom.Data.Selection;
using Custom.Evaluation;
using Custom.Inference;
using Custom.Training.Packaging;
using Microsoft.ML;

namespace Custom.Training;

/// <summary>
/// The evaluation front door: scores a saved model on a split and computes its <c>metrics.json</c>, in one call.
/// A package folder is scored by ONNX Runtime (<see cref="SoundClassifier"/>), its <c>model.zip</c> by ML.NET; both
/// reproduce the figures training wrote byte for byte. <c>custom evaluate</c> and the Cake build go through it.
/// </summary>
public static class ModelEvaluation
{
    /// <summary>The engine name for a package scored by ONNX Runtime.</summary>
    public const string OnnxRuntime = "onnxruntime";

    /// <summary>The engine name for a <c>model.zip</c> scored by ML.NET.</summary>
    public const string MlNet = "mlnet";

    /// <summary>Scores the model of <paramref name="request"/> on its split.</summary>
    /// <param name="request">Model, data, split and where to write.</param>
    /// <returns>The figures and what scored them.</returns>
    /// <exception cref="InvalidInputException">A missing or damaged model or package, missing data, an unknown split
    /// or damaged records; the message says which.</exception>
    public static EvaluationRun Run(EvaluationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        string modelPath = request.Model;
        bool package = Directory.Exists(modelPath);
        if (!package && !File.Exists(modelPath))
        {
            throw new InvalidInputException($"{modelPath}: model not found (give a package folder or its model.zip)");
        }

        string packageDir = package ? modelPath : Path.GetDirectoryName(Path.GetFullPath(modelPath))!;
        var manifest = ModelManifest.Load(Path.Combine(packageDir, ModelManifest.FileName));
        var classes = manifest.ToClassSet();
        var selector = new ClipSelector(classes, SelectionPolicyNames.Parse(manifest.Policy));
        var folder = AudioSetLocator.Open(request.Data);
        var files = folder.FilesOf(request.Split);
        var ingest = request.Ingest;
        if (request.Progress is { } progress)
        {
            string stage = $"reading {request.Split}";
            ingest = ingest with { Progress = new Relay<IngestProgress>(p => progress.Report(new PipelineProgress(stage, p.FilesDone, p.FilesTotal, stage))) };
        }

        var clips = AudioSetIngest.ReadSelected(files, selector, ingest).Clips;
        var probabilities = package ? ScoreOnnx(packageDir, clips) : ScoreMlNet(manifest.Seed, modelPath, clips);
        var metrics = MulticlassMetrics.Compute(classes, clips.Select(c => c.Label).ToArray(), probabilities);
        var document = new MetricsDocument(request.Split, manifest.Trainer, manifest.Features, metrics);
        if (request.Output is { } output)
        {
            document.Save(output);
        }

        return new EvaluationRun(document, manifest, package ? OnnxRuntime : MlNet, request.Output);
    }

    private static float[][] ScoreOnnx(string packageDir, IReadOnlyList<LabeledClip> clips)
    {
        SoundClassifier classifier;
        try
        {
            classifier = SoundClassifier.Load(packageDir);
        }
        catch (PackageException e)
        {
            throw new InvalidInputException(e.Message, e);
        }

        using (classifier)
        {
            return classifier.PredictBatch(clips.Select(c => c.Clip.Frames).ToList()).Select(p => p.Probabilities.ToArray()).ToArray();
        }
    }

    private static float[][] ScoreMlNet(int seed, string modelPath, IReadOnlyList<LabeledClip> clips)
    {
        var ml = new MLContext(seed);
        ITransformer model;
        try
        {
            model = SavedModel.Load(ml, modelPath);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or InvalidDataException)
        {
            throw new InvalidInputException($"{modelPath}: not a model saved by 'custom train': {e.Message}");
        }

        return SavedModel.Predict(ml, model, clips.Select(c => c.Clip.Frames));
    }
}
