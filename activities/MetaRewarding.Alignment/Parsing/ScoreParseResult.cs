namespace MetaRewarding.Alignment.Parsing;

/// <summary>The score a judge gave, or why there is none.</summary>
public readonly record struct ScoreParseResult(double Score, ScoreParseFailure Failure, string? Detail)
{
    /// <summary>True when <see cref="Score"/> is a valid score in [0, 5].</summary>
    public bool IsValid => Failure == ScoreParseFailure.None;

    /// <summary>A valid score.</summary>
    public static ScoreParseResult Valid(double score) => new(score, ScoreParseFailure.None, null);

    /// <summary>No valid score, with the reason.</summary>
    public static ScoreParseResult Invalid(ScoreParseFailure failure, string detail) => new(double.NaN, failure, detail);
}
