namespace Custom.Data.Selection;

/// <summary>How a clip's labels decide whether it is kept and as which class.</summary>
public enum SelectionPolicy
{
    /// <summary>Keep a clip when exactly one of its labels is a selected class (the default).</summary>
    ExactlyOne,
    /// <summary>Keep a clip when any label is selected; the class listed first in the class set wins.</summary>
    FirstListed,
}

/// <summary>Command-line and file names of <see cref="SelectionPolicy"/> values.</summary>
public static class SelectionPolicyNames
{
    /// <summary>The names accepted by <see cref="Parse"/>.</summary>
    public static IReadOnlyList<string> All { get; } = ["exactly-one", "first-listed"];

    /// <summary>The kebab-case name of a policy.</summary>
    public static string ToName(this SelectionPolicy policy) => policy switch
    {
        SelectionPolicy.ExactlyOne => "exactly-one",
        SelectionPolicy.FirstListed => "first-listed",
        _ => throw new ArgumentOutOfRangeException(nameof(policy)),
    };

    /// <summary>Parses a kebab-case name; an unknown one is an <see cref="InvalidInputException"/>.</summary>
    public static SelectionPolicy Parse(string name) => name switch
    {
        "exactly-one" => SelectionPolicy.ExactlyOne,
        "first-listed" => SelectionPolicy.FirstListed,
        _ => throw new InvalidInputException($"unknown selection policy '{name}': use {string.Join(" or ", All)}"),
    };
}
