using Custom.Data;
using Custom.Data.Ingest;
using Custom.Data.Selection;
using Custom.Evaluation;
using Custom.Inference;
using Custom.Training.OpenSet;
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
        Verify(packageDir, package ? [] : [Path.GetFileName(modelPath)]);
        var manifest = ModelManifest.Load(Path.Combine(packageDir, ModelManifest.FileName));
        var classes = manifest.ToClassSet();
        var folder = AudioSetLocator.Open(request.Data);
        if (request.Output is { } outPath)
        {
            // The metrics file may sit beside the package, never in place of one of its files or an input.
            OutputFolder.CheckFile(outPath, [.. folder.Inputs, Path.Combine(packageDir, ModelManifest.FileName), .. manifest.Files!.Keys.Select(f => Path.Combine(packageDir, f))]);
        }

        var files = folder.FilesOf(request.Split);
        var ingest = request.Ingest;
        if (request.Progress is { } progress)
        {
            string stage = $"reading {request.Split}";
            ingest = ingest with { Progress = new Relay<IngestProgress>(p => progress.Report(new PipelineProgress(stage, p.FilesDone, p.FilesTotal, stage))) };
        }

        var document = manifest.IsOpenSet
            ? ScoreOpenSet(request, manifest, files, ingest, package, packageDir, modelPath)
            : ScoreClosed(request, manifest, files, ingest, package, packageDir, modelPath);
        if (request.Output is { } output)
        {
            document.Save(output);
        }

        return new EvaluationRun(document, manifest, package ? OnnxRuntime : MlNet, request.Output);
    }

    private static MetricsDocument ScoreClosed(EvaluationRequest request, ModelManifest manifest, IReadOnlyList<string> files, IngestOptions ingest, bool package, string packageDir, string modelPath)
    {
        var classes = manifest.ToClassSet();
        var selector = new ClipSelector(classes, SelectionPolicyNames.Parse(manifest.Policy));
        var clips = AudioSetIngest.ReadSelected(files, selector, ingest).RequireAny(request.Split).Clips;
        var probabilities = package ? ScoreOnnx(packageDir, clips.Select(c => c.Clip.Frames)) : ScoreMlNet(manifest.Seed, modelPath, clips.Select(c => c.Clip.Frames));
        var metrics = MulticlassMetrics.Compute(classes, clips.Select(c => c.Label).ToArray(), probabilities);
        return new MetricsDocument(request.Split, manifest.Trainer, manifest.Features, metrics);
    }

    // An open-set model answers every clip of the split, whatever its labels; the closed twin's figures recorded by
    // training stand beside its own when the split is the one training reported on.
    private static MetricsDocument ScoreOpenSet(EvaluationRequest request, ModelManifest manifest, IReadOnlyList<string> files, IngestOptions ingest, bool package, string packageDir, string modelPath)
    {
        var clips = OpenSetClip.Read(files, manifest.KnownClasses(), ingest);
        if (clips.Count == 0)
        {
            throw new InvalidInputException($"split '{request.Split}' holds no clips");
        }

        var probabilities = package ? ScoreOnnx(packageDir, clips.Select(c => c.Clip.Frames)) : ScoreMlNet(manifest.Seed, modelPath, clips.Select(c => c.Clip.Frames));
        var figures = OpenSetMetrics.Compute(manifest.ToClassSet(), clips.Select(c => c.Positions).ToArray(), probabilities);
        var closed = manifest.Metrics?.Split == request.Split ? manifest.ClosedReference : null;
        return new MetricsDocument(request.Split, manifest.Trainer, manifest.Features, figures.All) { OpenSet = new OpenSetSection(figures, closed) };
    }

    // Every listed file is hash-checked before anything is scored, model.zip included when it is what is scored.
    private static void Verify(string packageDir, IEnumerable<string> required)
    {
        try
        {
            PackageCheck.Verify(packageDir, required);
        }
        catch (PackageException e)
        {
            throw new InvalidInputException(e.Message, e);
        }
    }

    private static float[][] ScoreOnnx(string packageDir, IEnumerable<ReadOnlyMemory<byte>> clips)
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
            return classifier.PredictBatch(clips.ToList()).Select(p => p.Probabilities.ToArray()).ToArray();
        }
    }

    private static float[][] ScoreMlNet(int seed, string modelPath, IEnumerable<ReadOnlyMemory<byte>> clips)
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

        return SavedModel.Predict(ml, model, clips);
    }
}
