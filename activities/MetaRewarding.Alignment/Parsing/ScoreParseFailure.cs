namespace MetaRewarding.Alignment.Parsing;

/// <summary>Why a judgment has no usable score.</summary>
public enum ScoreParseFailure
{
    /// <summary>The judgment parsed: it has a score in [0, 5].</summary>
    None = 0,

    /// <summary>The completion is null, empty or only white space.</summary>
    Empty = 1,

    /// <summary>No <c>Score: &lt;number&gt;</c> anywhere in the completion.</summary>
    NoScore = 2,

    /// <summary>The last <c>Score: &lt;number&gt;</c> is outside [0, 5].</summary>
    OutOfRange = 3,

    /// <summary>The judge was cut at max new tokens (finish reason <c>length</c>): its last score may not be its verdict.</summary>
    Truncated = 4,

    /// <summary>Not generated: the judge prompt plus max new tokens exceeds the model's context (finish reason <c>context</c>).</summary>
    OverContext = 5,
}
