using System.CommandLine;
using System.Text.Json;
using Custom.Cli.Bench;
using Custom.Data;

namespace Custom.Cli.Commands;

/// `custom bench ingest`: throughput and memory of ingest, printed as one JSON line.
internal static class BenchCommand
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static Command Create(CliContext context)
    {
        var bench = new Command("bench", "Measure speed and memory; prints one JSON line per measurement (scaled-copy writes a larger AudioSet folder to measure on).");
        bench.Subcommands.Add(CreateIngest(context));
        bench.Subcommands.Add(CreateInference(context));
        bench.Subcommands.Add(AudioBenchCommand.Create(context));
        bench.Subcommands.Add(ServeBenchCommand.Create(context));
        bench.Subcommands.Add(ScaledCopyCommand.Create(context));
        return bench;
    }

    private static Command CreateInference(CliContext context)
    {
        var common = new CommonOptions();
        var model = new Option<string>("--model", "-m") { Description = "Package folder written by 'custom train'", Required = true, HelpName = "PACKAGE" };
        var split = new Option<string>("--split", "-s") { Description = "Clips to classify (the selected clips of this split)", DefaultValueFactory = _ => "eval" };
        var calls = new Option<int>("--single-calls") { Description = "Timed one-clip calls per engine", DefaultValueFactory = _ => 5000 };
        var batchSize = new Option<int>("--batch-size") { Description = "Clips per batched call", DefaultValueFactory = _ => 1024 };
        var command = new Command("inference",
            "Single-clip latency (p50/p99 µs) and batched clips/s of a package's model through ONNX Runtime (Custom.Inference) and ML.NET (model.zip); one JSON line per engine.");
        foreach (var option in new Option[] { common.Data, model, split, calls, batchSize })
        {
            command.Options.Add(option);
        }

        command.SetAction(result => CliApp.Guard(context, () =>
        {
            string package = result.GetValue(model)!;
            using (PackageLoader.Load(package))
            {
                // Verifies the package before any timing; the benchmark opens its own instance.
            }

            if (result.GetValue(calls) < 1 || result.GetValue(batchSize) < 1)
            {
                throw new InvalidInputException("--single-calls and --batch-size must each be at least 1");
            }

            var folder = common.OpenFolder(result);
            var manifest = Custom.Training.Packaging.ModelManifest.Load(Path.Combine(package, Custom.Training.Packaging.ModelManifest.FileName));
            var selector = new Custom.Data.Selection.ClipSelector(manifest.ToClassSet());
            var clips = Custom.Data.Ingest.AudioSetIngest.ReadSelected(folder.FilesOf(result.GetValue(split)!), selector).Clips.Select(c => c.Clip.Frames).ToList();
            foreach (var line in InferenceBenchmark.Run(package, clips, result.GetValue(calls), result.GetValue(batchSize)))
            {
                context.Output.WriteLine(JsonSerializer.Serialize(line, Json));
            }

            return 0;
        }));
        return command;
    }

    private static Command CreateIngest(CliContext context)
    {
        var common = new CommonOptions();
        var repeats = new Option<int>("--repeat", "-r")
        {
            // 30, not 10: with 10, about one run in five had an unlucky best ingest pass and a ratio well below the
            // run's usual one; with 30, every run measured stayed within a few hundredths of its median.
            Description = "Timed passes of each loop, alternating; the best of each is reported",
            DefaultValueFactory = _ => 30,
        };
        var scale = new Option<int>("--scale")
        {
            Description = "Measure on an N-times larger copy written to a temp folder (deleted afterwards) to show memory stays flat",
            DefaultValueFactory = _ => 1,
        };
        var command = new Command("ingest",
            "Read and parse every record of every split (CRC on): ingest from files against a plain open-and-read loop " +
            "over the same files (mb_per_s vs read_only_mb_per_s), from memory on one thread (mb_per_s_memory), and peak RSS.");
        command.Options.Add(common.Data);
        command.Options.Add(common.Threads);
        command.Options.Add(repeats);
        command.Options.Add(scale);
        command.SetAction(result => CliApp.Guard(context, () =>
        {
            var folder = common.OpenFolder(result);
            var files = folder.Splits.SelectMany(folder.FilesOf).ToList();
            int threads = result.GetValue(common.Threads);
            int repeat = result.GetValue(repeats);
            int factor = result.GetValue(scale);
            if (threads < 1 || repeat < 1 || factor < 1)
            {
                throw new InvalidInputException("--threads, --repeat and --scale must each be at least 1");
            }

            IngestBenchResult measured;
            if (factor == 1)
            {
                measured = IngestBenchmark.Run(files, files, threads, repeat, factor);
            }
            else
            {
                if (context.Interactive)
                {
                    context.Error.WriteLine($"writing a {factor}x copy to the temp folder…");
                }

                using var copy = ScaledCopy.Create(files, factor);
                measured = IngestBenchmark.Run(copy.Files, files, threads, repeat, factor);
            }

            context.Output.WriteLine(JsonSerializer.Serialize(measured, Json));
            return 0;
        }));
        return command;
    }
}
