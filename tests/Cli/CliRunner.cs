using Custom.Cli;

namespace Custom.Tests.Cli;

/// Runs the `custom` command in-process with captured, non-interactive output.
internal static class CliRunner
{
    public static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = CliApp.Run(args, new CliContext(output, error, interactive: false));
        return (exit, output.ToString(), error.ToString());
    }

    /// Asserts a user error: non-zero exit, exactly one line on stderr, no stack trace.
    public static string AssertOneLineError((int Exit, string Out, string Err) result)
    {
        Assert.Equal(CliApp.UserError, result.Exit);
        string line = Assert.Single(result.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("custom: error: ", line);
        Assert.DoesNotContain("   at ", result.Err);
        return line;
    }
}
