using System.CommandLine;
using Custom.Cli.Bench;
using Custom.Data;
using Google.Protobuf;

namespace Custom.Cli.Commands;

/// `custom audio test-network`: writes a VGGish-shaped ONNX network with seeded random weights, so the audio chain
/// (`embed`, `predict --audio`, `serve --vggish`) can be tried where Google's weights are not at hand.
internal static class AudioTestNetworkCommand
{
    public static Command Create(CliContext context)
    {
        var output = new Option<string>("--out", "-o") { Description = "ONNX file to write", Required = true, HelpName = "FILE.onnx" };
        var seed = new Option<int>("--seed") { Description = "Seed of the random weights: the same seed writes the same network", DefaultValueFactory = _ => 1 };
        var full = new Option<bool>("--full")
        {
            Description = "VGGish's full widths (72 million parameters, 289 MB) instead of every width divided by 16 (1.3 MB, quick to load and run)",
        };
        var command = new Command("test-network",
            "Write a VGGish-shaped network with seeded random weights (input [N,96,64], output [N,128]), to try the chain " +
            "without the real weights. Its embeddings mean nothing, and so do predictions made from them; docs/audio.md " +
            "says how to convert Google's VGGish.");
        command.Options.Add(output);
        command.Options.Add(seed);
        command.Options.Add(full);
        command.SetAction(result => CliApp.Guard(context, () =>
        {
            string path = result.GetValue(output)!;
            int divisor = result.GetValue(full) ? VggishTestNetwork.Full : VggishTestNetwork.Narrow;
            var model = VggishTestNetwork.Build(result.GetValue(seed), divisor, VggishTestNetwork.Layout.Frames);
            AtomicFile.Write(path, model.WriteTo);
            context.Output.WriteLine($"VGGish-shaped test network (seed {result.GetValue(seed)}, random weights: its embeddings mean nothing) → {path}");
            return 0;
        }));
        return command;
    }
}
