using System.Globalization;
using System.Text.RegularExpressions;
using Custom.Data;

namespace Custom.Cli.Commands;

/// Durations as written on the command line: one or more number-and-unit parts in h, m, s order, e.g. 90s, 20m, 1h30m,
/// 1.5h. A bare number is refused rather than guessed at (seconds or minutes?).
internal static partial class DurationText
{
    // Budgets are for runs of a machine's working day; anything longer is a typo.
    private static readonly TimeSpan Longest = TimeSpan.FromDays(7);

    public static TimeSpan Parse(string option, string text)
    {
        var match = Pattern().Match(text.Trim());
        if (text.Trim().Length == 0 || !match.Success)
        {
            throw new InvalidInputException($"{option} '{text}': not a duration; give a number with a unit, e.g. 90s, 20m, 1h30m");
        }

        double seconds = Part(match, "h") * 3600 + Part(match, "m") * 60 + Part(match, "s");
        if (!(seconds > 0))
        {
            throw new InvalidInputException($"{option} '{text}': must be more than 0");
        }

        if (seconds > Longest.TotalSeconds)
        {
            throw new InvalidInputException($"{option} '{text}': longer than {Longest.TotalDays:0} days");
        }

        return TimeSpan.FromSeconds(seconds);
    }

    private static double Part(Match match, string unit) =>
        match.Groups[unit].Success ? double.Parse(match.Groups[unit].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture) : 0;

    [GeneratedRegex(@"^(?=\d|\.\d)(?:(?<h>\d+(?:\.\d+)?)h)?(?:(?<m>\d+(?:\.\d+)?)m)?(?:(?<s>\d+(?:\.\d+)?)s)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
