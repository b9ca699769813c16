using System.CommandLine;
using System.Text.Json;
using Custom.Cli.Bench;
using Custom.Data;

namespace Custom.Cli.Commands;

/// `custom bench serve`: the service under load from hey, /predict against a bare endpoint; one JSON line.
internal static class ServeBenchCommand
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static Command Create(CliContext context)
    {
        var model = new Option<string>("--model", "-m") { Description = "Package folder written by 'custom train'", Required = true, HelpName = "PACKAGE" };
        var requests = new Option<int>("--requests", "-n") { Description = "Single-clip requests per endpoint per round", DefaultValueFactory = _ => 20000 };
        var rounds = new Option<int>("--rounds") { Description = "Rounds of bare-then-predict runs; the median round is reported", DefaultValueFactory = _ => 3 };
        var connections = new Option<int>("--connections", "-c") { Description = "Concurrent connections for single-clip requests", DefaultValueFactory = _ => 16 };
        var batchClips = new Option<int>("--batch-clips") { Description = "Clips (10 frames each) per batched request", DefaultValueFactory = _ => 1000 };
        var batchRequests = new Option<int>("--batch-requests") { Description = "Batched requests per format (TFRecord, JSON)", DefaultValueFactory = _ => 200 };
        var rssRequests = new Option<int>("--rss-requests") { Description = "Total requests by the last RSS reading (the first is at a tenth of it)", DefaultValueFactory = _ => 200000 };
        var timeLimit = new Option<int>("--time-limit") { Description = "Seconds any one load run may take before it is stopped and reported as an error", DefaultValueFactory = _ => 180 };
        var command = new Command("serve",
            "Start the service on a loopback port and drive it with hey: single-clip JSON requests to /predict against a bare endpoint that parses " +
            "the same body and answers a constant (requests/s, p50/p99 ms, errors), batched TFRecord and JSON requests (clips/s), and the " +
            "server's RSS at a tenth of --rss-requests and at the end. Prints one JSON line.");
        foreach (var option in new Option[] { model, requests, rounds, connections, batchClips, batchRequests, rssRequests, timeLimit })
        {
            command.Options.Add(option);
        }

        command.SetAction(result => CliApp.Guard(context, () =>
        {
            var settings = new ServeBenchmark.Settings(result.GetValue(model)!, result.GetValue(requests), result.GetValue(rounds), result.GetValue(connections),
                result.GetValue(batchClips), result.GetValue(batchRequests), result.GetValue(rssRequests), TimeSpan.FromSeconds(result.GetValue(timeLimit)));
            if (settings.Requests < 1 || settings.Rounds < 1 || settings.Connections < 1 || settings.BatchClips < 1 || settings.BatchRequests < 1 || settings.RssRequests < 10 || settings.TimeLimit <= TimeSpan.Zero)
            {
                throw new InvalidInputException("--requests, --rounds, --connections, --batch-clips, --batch-requests and --time-limit must be at least 1, --rss-requests at least 10");
            }

            context.Output.WriteLine(JsonSerializer.Serialize(ServeBenchmark.Run(settings), Json));
            return 0;
        }));
        return command;
    }
}
