namespace MetaRewarding.Alignment.Parsing;

/// <summary>The meta-judge's verdict, or why there is none.</summary>
public readonly record struct VerdictParseResult(VerdictPosition Winner, string? Failure)
{
    /// <summary>True when the verdict names a winner.</summary>
    public bool IsValid => Winner != VerdictPosition.None;

    /// <summary>A verdict with a winner.</summary>
    public static VerdictParseResult Won(VerdictPosition winner) => new(winner, null);

    /// <summary>No verdict, with the reason.</summary>
    public static VerdictParseResult Invalid(string failure) => new(VerdictPosition.None, failure);
}
