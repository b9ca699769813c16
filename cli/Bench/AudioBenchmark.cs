using System.Diagnostics;
using Custom.Audio.Features;
using Custom.Audio.Resampling;
using Custom.Audio.Vggish;
using Google.Protobuf;

namespace Custom.Cli.Bench;

/// What `custom bench audio` prints for the log-mel front end (snake_case names).
/// Wall-clock medians and bests, and process CPU time per pass (robust when other work shares the cores).
internal sealed record LogMelBenchResult(string Measure, double AudioSeconds, int Repeats, double MedianMs, double BestMs, double CpuMs,
    double RealTimeFactorMedian, double RealTimeFactorBest, double RealTimeFactorCpu, double Resample44k1BestMs, int Threads);

/// What `custom bench audio` prints for the VGGish-shaped network.
internal sealed record VggishBenchResult(string Measure, long Parameters, double ModelMb, double LoadS, int Threads, int Repeats,
    double MsPerExampleBatch1, double MsPerExampleBatch10, double BestMsPerExampleBatch1, double BestMsPerExampleBatch10,
    double CpuMsPerExampleBatch10, double MsPer10sWindow, double PeakRssMb);

/// The audio front end's speed: VGGish log-mel on the calling thread (one core), and the full-size VGGish-shaped
/// network through ONNX Runtime on a fixed number of threads.
internal static class AudioBenchmark
{
    private const int SampleRate = VggishLogMel.SampleRate;

    public static LogMelBenchResult LogMel(int repeats)
    {
        var samples = TestSignal(10 * SampleRate, SampleRate);
        var resampleInput = TestSignal(441_000, 44_100);
        var logMel = new VggishLogMel();
        for (int i = 0; i < 5; i++)
        {
            logMel.Examples(samples); // warm-up: JIT, tiering
        }

        var times = new double[repeats];
        var cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
        for (int i = 0; i < repeats; i++)
        {
            long start = Stopwatch.GetTimestamp();
            logMel.Examples(samples);
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalMilliseconds / repeats;

        KaiserBestResampler.Resample(resampleInput, 44_100, SampleRate);
        var resampleTimes = new double[Math.Max(3, repeats / 10)];
        for (int i = 0; i < resampleTimes.Length; i++)
        {
            long start = Stopwatch.GetTimestamp();
            KaiserBestResampler.Resample(resampleInput, 44_100, SampleRate);
            resampleTimes[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        double median = Median(times);
        return new LogMelBenchResult("logmel_one_thread", 10.0, repeats, Math.Round(median, 3), Math.Round(times.Min(), 3), Math.Round(cpu, 3),
            Math.Round(10_000 / median), Math.Round(10_000 / times.Min()), Math.Round(10_000 / cpu), Math.Round(resampleTimes.Min(), 2), 1);
    }

    public static VggishBenchResult Network(int repeats, int threads)
    {
        var folder = Directory.CreateTempSubdirectory("custom-bench-vggish-");
        try
        {
            string path = Path.Combine(folder.FullName, "vggish-full.onnx");
            var proto = VggishTestNetwork.Build(seed: 7, VggishTestNetwork.Full, VggishTestNetwork.Layout.Frames);
            long parameters = proto.Graph.Initializer.Where(t => t.DataType == 1).Sum(t => t.Dims.Aggregate(1L, (a, d) => a * d));
            using (var file = File.Create(path))
            {
                proto.WriteTo(file);
            }

            proto = null;
            double modelMb = new FileInfo(path).Length / 1e6;
            long loadStart = Stopwatch.GetTimestamp();
            using var model = VggishModel.Load(path, threads);
            double load = Stopwatch.GetElapsedTime(loadStart).TotalSeconds;
            var examples = VggishLogMel.Compute(TestSignal(10 * SampleRate, SampleRate));
            int count = examples.Length / VggishLogMel.ExampleSize;
            var one = examples[..VggishLogMel.ExampleSize];
            model.Embed(one, 1);
            model.Embed(examples, count);
            var batch1 = Time(repeats, () => model.Embed(one, 1));
            var cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
            var batch10 = Time(repeats, () => model.Embed(examples, count));
            double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalMilliseconds / repeats / count;
            return new VggishBenchResult("vggish_full_size_onnxruntime", parameters, Math.Round(modelMb, 1), Math.Round(load, 2), threads, repeats,
                Math.Round(batch1.Median, 2), Math.Round(batch10.Median / count, 2), Math.Round(batch1.Best, 2), Math.Round(batch10.Best / count, 2),
                Math.Round(cpu, 2), Math.Round(batch10.Median, 1), Math.Round(Process.GetCurrentProcess().PeakWorkingSet64 / 1e6));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// A deterministic 10 s test signal: two tones, a chirp and seeded noise.
    private static double[] TestSignal(int length, int rate)
    {
        var random = new Random(16);
        var x = new double[length];
        for (int i = 0; i < length; i++)
        {
            double t = i / (double)rate;
            x[i] = (0.3 * Math.Sin(2 * Math.PI * 440 * t)) + (0.2 * Math.Sin(2 * Math.PI * (200 + (300 * t)) * t)) + (0.05 * ((2 * random.NextDouble()) - 1));
        }

        return x;
    }

    private static (double Median, double Best) Time(int repeats, Action run)
    {
        var times = new double[repeats];
        for (int i = 0; i < repeats; i++)
        {
            long start = Stopwatch.GetTimestamp();
            run();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        return (Median(times), times.Min());
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
