using Custom.Cli.Commands;
using Custom.Data;

namespace Custom.Tests.Cli;

public sealed class DurationTextTests
{
    [Theory]
    [InlineData("90s", 90)]
    [InlineData("20m", 1200)]
    [InlineData("1h30m", 5400)]
    [InlineData("1h30m15s", 5415)]
    [InlineData("1.5h", 5400)]
    [InlineData("0.5s", 0.5)]
    [InlineData(" 15M ", 900)]
    public void Durations_with_units_parse(string text, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), DurationText.Parse("--budget", text));

    [Theory]
    [InlineData("15", "not a duration")]
    [InlineData("", "not a duration")]
    [InlineData("fast", "not a duration")]
    [InlineData("-5m", "not a duration")]
    [InlineData("1m1h", "not a duration")]
    [InlineData("5 m", "not a duration")]
    [InlineData("3d", "not a duration")]
    [InlineData("0s", "must be more than 0")]
    [InlineData("0h0m", "must be more than 0")]
    [InlineData("200h", "longer than 7 days")]
    public void Bad_durations_are_refused_naming_the_option_and_the_value(string text, string why)
    {
        var error = Assert.Throws<InvalidInputException>(() => DurationText.Parse("--budget", text));
        Assert.StartsWith($"--budget '{text}': ", error.Message);
        Assert.Contains(why, error.Message);
    }

    [Fact]
    public void Train_with_a_bad_budget_is_a_one_line_error_before_any_data_is_read()
    {
        string line = CliRunner.AssertOneLineError(CliRunner.Run("train", "--data", "/nonexistent-custom-data", "--out", "unused", "--budget", "15"));
        Assert.Equal("custom: error: --budget '15': not a duration; give a number with a unit, e.g. 90s, 20m, 1h30m", line);
    }
}
