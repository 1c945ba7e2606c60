namespace MetaRewarding.Sandbox.Sft;

/// <summary>How a meta-judge demonstration's judgment departs from the truth.</summary>
public enum JudgmentBias
{
    /// <summary>Each mark flipped independently (the judge-label noise rate).</summary>
    Noisy = 0,

    /// <summary>Failed criteria are marked as met (scores too high): the bias the paper's meta-judge rewards.</summary>
    Lenient = 1,

    /// <summary>Met criteria are marked as failed (scores too low).</summary>
    Strict = 2,
}
