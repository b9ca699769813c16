using System.CommandLine;
using Custom.Evaluation;

namespace Custom.Cli.Commands;

/// `custom compare`: a fresh run against reference score files; non-zero exit with a readable diff when they differ.
internal static class CompareCommand
{
    public const int Different = 1;

    public static Command Create(CliContext context)
    {
        var expected = new Option<string>("--expected", "-e") { Description = "Reference folder (e.g. artifacts/reference)", Required = true, HelpName = "DIR" };
        var actual = new Option<string[]>("--actual", "-a")
        {
            Description = "Folder(s) of the fresh run: each file is taken from the first folder that has it",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
            HelpName = "DIR",
        };
        var tolerance = new Option<double>("--tolerance") { Description = "Absolute tolerance for numbers (default 0: identical)", DefaultValueFactory = _ => 0 };
        var command = new Command("compare",
            $"Compare {string.Join(", ", Reproduction.Files)} of a fresh run with reference copies, figure by figure; " +
            "exit 1 and list every changed figure when they differ.");
        command.Options.Add(expected);
        command.Options.Add(actual);
        command.Options.Add(tolerance);
        command.SetAction(result => CliApp.Guard(context, () =>
        {
            var differences = Reproduction.Compare(result.GetValue(expected)!, result.GetValue(actual)!, result.GetValue(tolerance));
            if (differences.Count == 0)
            {
                context.Output.WriteLine($"reproduced: every figure of {string.Join(" + ", result.GetValue(actual)!)} equals {result.GetValue(expected)}");
                return 0;
            }

            context.Error.WriteLine($"custom: {differences.Count} figure(s) differ from {result.GetValue(expected)}:");
            foreach (string line in differences)
            {
                context.Error.WriteLine("  " + line);
            }

            return Different;
        }));
        return command;
    }
}
