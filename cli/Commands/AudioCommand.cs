using System.CommandLine;
using Custom.Audio;
using Custom.Audio.Features;
using Custom.Audio.NumPy;
using Custom.Data;

namespace Custom.Cli.Commands;

/// `custom audio logmel`: the VGGish input examples of a sound file, as a NumPy array anyone can compare.
/// `custom audio test-network`: a VGGish-shaped network with seeded random weights, to try the chain without the real
/// weights.
internal static class AudioCommand
{
    public static Command Create(CliContext context)
    {
        var audio = new Command("audio", "Look inside the VGGish audio front end.");
        audio.Subcommands.Add(CreateLogMel(context));
        audio.Subcommands.Add(AudioTestNetworkCommand.Create(context));
        return audio;
    }

    private static Command CreateLogMel(CliContext context)
    {
        var input = new Option<string>("--input", "-i") { Description = "Sound file (WAV in process; other formats through ffmpeg)", Required = true, HelpName = "FILE" };
        var output = new Option<string>("--out", "-o") { Description = "NumPy file to write: float32 [n, 96, 64]", Required = true, HelpName = "X.npy" };
        var command = new Command("logmel",
            "Write the VGGish log-mel examples of a sound file (mono, 16 kHz, 96 frames × 64 mel bands per 0.96 s) as a float32 .npy array [n, 96, 64].");
        command.Options.Add(input);
        command.Options.Add(output);
        command.SetAction(result => CliApp.Guard(context, () =>
        {
            string path = result.GetValue(input)!;
            if (!File.Exists(path))
            {
                throw new InvalidInputException($"{path}: audio file not found");
            }

            double[] samples;
            using (var stream = File.OpenRead(path))
            {
                samples = AudioEmbedder.Decode(stream, path, CancellationToken.None);
            }

            var examples = VggishLogMel.Compute(samples);
            int count = examples.Length / VggishLogMel.ExampleSize;
            AtomicFile.Write(result.GetValue(output)!, stream =>
                NpyWriter.WriteFloat32(stream, examples, count, VggishLogMel.ExampleFrames, VggishLogMel.MelBands));
            context.Output.WriteLine($"{count} examples [{count}, {VggishLogMel.ExampleFrames}, {VggishLogMel.MelBands}] → {result.GetValue(output)}");
            return 0;
        }));
        return command;
    }
}
