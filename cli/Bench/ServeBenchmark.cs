using System.Diagnostics;
using Custom.Data.AudioSet;
using Custom.Data.TfRecords;
using Custom.Serve;
using Custom.Serve.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Custom.Cli.Bench;

/// What `custom bench serve` prints (snake_case names). Each round runs the bare endpoint and /predict back to back, so
/// both see the same load from the rest of the machine; rates are the median run of each, the ratio the median of the
/// rounds' ratios. Batched runs come first, so the RSS readings bracket steady single-clip traffic only.
internal sealed record ServeBenchResult(
    string Tool,
    string Model,
    int Connections,
    int Rounds,
    int RequestsPerRound,
    HeyRun Predict,
    HeyRun Bare,
    double PredictOverBare,
    int BatchClips,
    HeyRun BatchedTfrecord,
    double BatchedTfrecordClipsPerS,
    HeyRun BatchedJson,
    double BatchedJsonClipsPerS,
    double ModelOnlyBatchedClipsPerS,
    long RssMbBefore,
    int RssFirstMarkRequests,
    long RssMbAtFirstMark,
    int RssLastMarkRequests,
    long RssMbAtLastMark,
    double RssGrowth);

/// Starts the service on a loopback port with the bare endpoint beside /predict and drives both with hey.
internal static class ServeBenchmark
{
    public sealed record Settings(string PackageDir, int Requests, int Rounds, int Connections, int BatchClips, int BatchRequests, int RssRequests, TimeSpan TimeLimit);

    public static ServeBenchResult Run(Settings settings)
    {
        var source = ModelSource.Parse(settings.PackageDir);
        using var catalog = ModelCatalog.Load([source]);
        var options = new ServeOptions { Models = [source], Urls = "http://127.0.0.1:0", BareEndpoint = true, MaxBodyBytes = 64L * 1024 * 1024 };
        var app = ServiceHost.Build(options, catalog, builder => builder.Logging.SetMinimumLevel(LogLevel.Warning));
        app.StartAsync().GetAwaiter().GetResult();
        string root = app.Urls.First();
        string folder = Directory.CreateTempSubdirectory("custom-bench-serve-").FullName;
        try
        {
            var clips = Clips(Math.Max(settings.BatchClips, 1));
            string single = Write(folder, "single.json", Json(clips.Take(1)));
            string batchJson = Write(folder, "batch.json", Json(clips));
            string batchRecord = Path.Combine(folder, "batch.tfrecord");
            using (var writer = TfRecordWriter.Create(batchRecord))
            {
                clips.ForEach(c => c.WriteTo(writer));
            }

            long rssBefore = RssMb();
            int sent = 0;
            HeyRun Drive(string path, string body, string type, int n, int connections)
            {
                var run = HeyRun.Post(root + path, body, type, n, connections, settings.TimeLimit);
                sent += run.Requests;
                return run;
            }

            const string Json_ = "application/json";
            const string Octets = "application/octet-stream";
            Drive("/bench/bare", single, Json_, Math.Min(2000, settings.Requests), settings.Connections); // warm-up: JIT, pools, connections
            Drive("/predict", single, Json_, Math.Min(2000, settings.Requests), settings.Connections);
            // Batches: two connections per core, so a core has the next batch while a connection is sending or reading.
            int batchConnections = 2 * Environment.ProcessorCount;
            // Batched rates are steady-state rates: on this 2-core machine a TFRecord batch of 1,000 clips ran at about half
            // its steady rate for the first few hundred requests (tiered JIT, heap and pool growth), so each format is
            // warmed up first: TFRecord with five times the measured count (at most 1,000), JSON with the measured count.
            Drive("/predict", batchRecord, Octets, Math.Min(5 * settings.BatchRequests, 1000), batchConnections);
            var batchedRecord = Drive("/predict", batchRecord, Octets, settings.BatchRequests, batchConnections);
            Drive("/predict", batchJson, Json_, settings.BatchRequests, batchConnections);
            var batchedJson = Drive("/predict", batchJson, Json_, settings.BatchRequests, batchConnections);
            double modelOnly = ModelOnly(catalog.Default.Classifier, clips, settings.BatchRequests, batchConnections);

            // Memory, first mark: single-clip requests until a tenth of --rss-requests have been sent in all.
            int firstMark = settings.RssRequests / 10;
            if (sent < firstMark)
            {
                Drive("/predict", single, Json_, firstMark - sent, settings.Connections);
            }

            int atFirst = sent;
            long rssFirst = RssMb();

            var bare = new List<HeyRun>();
            var predict = new List<HeyRun>();
            for (int round = 0; round < settings.Rounds; round++)
            {
                bare.Add(Drive("/bench/bare", single, Json_, settings.Requests, settings.Connections));
                predict.Add(Drive("/predict", single, Json_, settings.Requests, settings.Connections));
            }

            // Memory, last mark: single-clip requests until --rss-requests have been sent in all.
            if (sent < settings.RssRequests)
            {
                Drive("/predict", single, Json_, settings.RssRequests - sent, settings.Connections);
            }

            long rssLast = RssMb();
            // The ratio of each round's two back-to-back runs, median over rounds: load from the rest of the machine
            // drifts between rounds more than within one.
            var ratios = predict.Zip(bare, (p, b) => p.RequestsPerS / b.RequestsPerS).Order().ToList();
            return new ServeBenchResult(HeyRun.Tool, source.Name, settings.Connections, settings.Rounds, settings.Requests,
                Median(predict), Median(bare), Math.Round(ratios[ratios.Count / 2], 3),
                clips.Count, batchedRecord, Math.Round(batchedRecord.RequestsPerS * clips.Count),
                batchedJson, Math.Round(batchedJson.RequestsPerS * clips.Count), modelOnly,
                rssBefore, atFirst, rssFirst, sent, rssLast, Math.Round((double)(rssLast - rssFirst) / rssFirst, 3));
        }
        finally
        {
            app.StopAsync().GetAwaiter().GetResult();
            ((IDisposable)app).Dispose();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// The ceiling for batched requests: the same batches scored by the classifier directly, no HTTP, no JSON, on
    /// as many threads as the server had connections.
    private static double ModelOnly(Custom.Inference.SoundClassifier classifier, List<AudioSetClip> clips, int batches, int threads)
    {
        var batch = clips.Select(c => c.Frames).ToList();
        classifier.PredictBatch(batch);
        var watch = Stopwatch.StartNew();
        Parallel.For(0, batches, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ => classifier.PredictBatch(batch));
        return Math.Round(batches * (double)clips.Count / watch.Elapsed.TotalSeconds);
    }

    /// Deterministic clips of 10 frames: the scores do not depend on the values, only on the shapes.
    private static List<AudioSetClip> Clips(int count)
    {
        var random = new Random(17);
        return Enumerable.Range(0, count).Select(i =>
        {
            var frames = new byte[10 * AudioSetClip.FrameSize];
            random.NextBytes(frames);
            return new AudioSetClip($"bench{i:D6}", 0, 10, [0], frames);
        }).ToList();
    }

    private static string Json(IEnumerable<AudioSetClip> clips) =>
        "{\"clips\":[" + string.Join(",", clips.Select(c =>
            $"{{\"id\":\"{c.VideoId}\",\"frames\":[" + string.Join(",", Enumerable.Range(0, c.FrameCount).Select(f => "[" + string.Join(",", c.GetFrame(f).ToArray()) + "]")) + "]}")) + "]}";

    private static string Write(string folder, string name, string text)
    {
        string path = Path.Combine(folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static HeyRun Median(List<HeyRun> runs) => runs.OrderBy(r => r.RequestsPerS).ElementAt(runs.Count / 2);

    private static long RssMb()
    {
        using var self = Process.GetCurrentProcess();
        return self.WorkingSet64 / (1024 * 1024);
    }
}
