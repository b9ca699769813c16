namespace Custom.Evaluation;

/// <summary>A candidate a budgeted comparison left off the leaderboard, and why (in words, with the estimates behind it).</summary>
/// <param name="Name">The candidate's name, as a leaderboard entry would have it.</param>
/// <param name="Reason">Why it is not ranked: never started, or stopped partway.</param>
public sealed record SkippedCandidate(string Name, string Reason);
