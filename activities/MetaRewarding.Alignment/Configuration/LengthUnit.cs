namespace MetaRewarding.Alignment.Configuration;

/// <summary>How lengths (the length-control tiers and the caps) are measured.</summary>
public enum LengthUnit
{
    /// <summary>
    /// Unicode characters (scalar values, so an emoji counts once, as Python's <c>len</c> does).
    /// The paper's caps (2,500 / 1,100 / 1,000) are in characters. [choice]
    /// </summary>
    Characters = 0,

    /// <summary>
    /// Tokens of the model's tokenizer. The algorithm library has no tokenizer: the caller passes a
    /// token-counting <see cref="Scoring.LengthMeasure"/> when this unit is configured.
    /// </summary>
    Tokens = 1,
}
