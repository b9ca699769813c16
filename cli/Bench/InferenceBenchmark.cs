using System.Diagnostics;
using Custom.Inference;
using Custom.Training;
using Custom.Training.Features;
using Microsoft.ML;

namespace Custom.Cli.Bench;

/// What `custom bench inference` prints per engine (snake_case names).
internal sealed record InferenceBenchResult(string Engine, double P50Us, double P99Us, double BatchClipsPerS, int BatchSize, int SingleCalls, int Clips);

/// Single-clip latency and batched throughput of a package's model, through ONNX Runtime and through ML.NET.
internal static class InferenceBenchmark
{
    public static IEnumerable<InferenceBenchResult> Run(string packageDir, IReadOnlyList<ReadOnlyMemory<byte>> clips, int singleCalls, int batchSize)
    {
        using (var classifier = SoundClassifier.Load(packageDir))
        {
            yield return Measure("onnxruntime", clips, singleCalls, batchSize,
                clip => classifier.Predict(clip.Span),
                batch => classifier.PredictBatch(batch));
        }

        var ml = new MLContext(1);
        var model = SavedModel.Load(ml, Path.Combine(packageDir, "model.zip"));
        var engine = ml.Model.CreatePredictionEngine<FrameInput, ScoreRow>(model);
        yield return Measure("mlnet", clips, singleCalls, batchSize,
            clip => engine.Predict(FrameInput.From(clip.Span)),
            batch => SavedModel.Predict(ml, model, batch));
    }

    private static InferenceBenchResult Measure(string name, IReadOnlyList<ReadOnlyMemory<byte>> clips, int singleCalls, int batchSize, Action<ReadOnlyMemory<byte>> single, Action<IReadOnlyList<ReadOnlyMemory<byte>>> batch)
    {
        for (int i = 0; i < Math.Min(1000, singleCalls); i++)
        {
            single(clips[i % clips.Count]); // warm-up: JIT and the engines' first-call setup
        }

        var latencies = new double[singleCalls];
        for (int i = 0; i < singleCalls; i++)
        {
            long start = Stopwatch.GetTimestamp();
            single(clips[i % clips.Count]);
            latencies[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        Array.Sort(latencies);
        var batches = clips.Chunk(batchSize).Select(b => (IReadOnlyList<ReadOnlyMemory<byte>>)b).ToList();
        batch(batches[0]);
        double best = double.MaxValue;
        for (int repeat = 0; repeat < 3; repeat++)
        {
            var watch = Stopwatch.StartNew();
            foreach (var b in batches)
            {
                batch(b);
            }

            best = Math.Min(best, watch.Elapsed.TotalSeconds);
        }

        return new InferenceBenchResult(name, Math.Round(Percentile(latencies, 0.50), 1), Math.Round(Percentile(latencies, 0.99), 1),
            Math.Round(clips.Count / best), batchSize, singleCalls, clips.Count);
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    private sealed class ScoreRow
    {
        public float[] Score { get; set; } = [];
    }
}
