namespace MetaRewarding.Modeling.Generation;

/// <summary>Why a completion ended.</summary>
public enum FinishReason
{
    /// <summary>A stop string appeared in the decoded text.</summary>
    Stop,

    /// <summary>The max-new-tokens limit was reached.</summary>
    Length,

    /// <summary>The model produced an end-of-sequence (or end-of-turn) token.</summary>
    Eos,
}
