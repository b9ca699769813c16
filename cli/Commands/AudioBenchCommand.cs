using System.CommandLine;
using System.Text.Json;
using Custom.Cli.Bench;
using Custom.Data;

namespace Custom.Cli.Commands;

/// `custom bench audio`: log-mel speed on one core and the full-size VGGish-shaped network's time per example.
internal static class AudioBenchCommand
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static Command Create(CliContext context)
    {
        var repeats = new Option<int>("--repeat", "-r") { Description = "Timed log-mel passes over 10 s of audio (the median is reported)", DefaultValueFactory = _ => 200 };
        var networkRepeats = new Option<int>("--network-repeat") { Description = "Timed network runs per batch size (the median is reported)", DefaultValueFactory = _ => 10 };
        var threads = new Option<int>("--threads", "-j") { Description = "ONNX Runtime intra-op threads for the network", DefaultValueFactory = _ => 2 };
        var skipNetwork = new Option<bool>("--skip-network") { Description = "Measure only the log-mel front end (no 288 MB network is written)" };
        var command = new Command("audio",
            "VGGish log-mel speed on one thread (median ms per 10 s of 16 kHz audio, × real time; 44.1→16 kHz resampling too) and the full-size " +
            "VGGish-shaped network (72M seeded weights, written to a temp folder and deleted) per 0.96 s example through ONNX Runtime; one JSON line each.");
        foreach (var option in new Option[] { repeats, networkRepeats, threads, skipNetwork })
        {
            command.Options.Add(option);
        }

        command.SetAction(result => CliApp.Guard(context, () =>
        {
            if (result.GetValue(repeats) < 1 || result.GetValue(networkRepeats) < 1 || result.GetValue(threads) < 1)
            {
                throw new InvalidInputException("--repeat, --network-repeat and --threads must each be at least 1");
            }

            context.Output.WriteLine(JsonSerializer.Serialize(AudioBenchmark.LogMel(result.GetValue(repeats)), Json));
            if (!result.GetValue(skipNetwork))
            {
                context.Output.WriteLine(JsonSerializer.Serialize(AudioBenchmark.Network(result.GetValue(networkRepeats), result.GetValue(threads)), Json));
            }

            return 0;
        }));
        return command;
    }
}
