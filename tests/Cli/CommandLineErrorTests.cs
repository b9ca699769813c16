namespace Custom.Tests.Cli;

/// A malformed command line is a user error like any other: one line on stderr naming what is wrong and where the
/// help is, exit 2, and no help text printed over it.
public sealed class CommandLineErrorTests
{
    [Theory]
    [InlineData(new[] { "train", "--folds", "abc" }, "'--folds' as a whole number", "custom train --help")]
    [InlineData(new[] { "train", "--folds" }, "Required argument missing for option: '--folds'", "custom train --help")]
    [InlineData(new[] { "train", "--bogus" }, "Unrecognized command or argument '--bogus'", "custom train --help")]
    [InlineData(new[] { "report", "--policy", "most" }, "Argument 'most' not recognized. Must be one of: 'exactly-one' 'first-listed'", "custom report --help")]
    [InlineData(new[] { "data" }, "Required command was not provided", "custom data --help")]
    [InlineData(new[] { "data", "fetch", "--nope" }, "'--nope'", "custom data fetch --help")]
    [InlineData(new[] { "serve", "--model", "m", "--max-body-mb", "much" }, "'--max-body-mb' as a number", "custom serve --help")]
    public void Is_one_line_naming_the_problem_and_the_help(string[] args, string problem, string help)
    {
        var result = CliRunner.Run(args);
        string line = CliRunner.AssertOneLineError(result);
        Assert.Contains(problem, line);
        Assert.EndsWith($"(see '{help}')", line);
        Assert.Equal("", result.Out);
    }
}
