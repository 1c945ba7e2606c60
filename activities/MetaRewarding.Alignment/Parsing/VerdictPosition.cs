namespace MetaRewarding.Alignment.Parsing;

/// <summary>Which of the two judgments shown to the meta-judge won.</summary>
public enum VerdictPosition
{
    /// <summary>No winner (the verdict did not parse).</summary>
    None = 0,

    /// <summary>The judgment shown first, as <c>Judgment A</c>.</summary>
    A = 1,

    /// <summary>The judgment shown second, as <c>Judgment B</c>.</summary>
    B = 2,
}
