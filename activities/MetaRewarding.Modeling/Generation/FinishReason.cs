namespace MetaRewarding.Modeling.Generation;

/// <summary>Why a completion ended.</summary>
public enum FinishReason
{
    /// <summary>A stop string appeared in the decoded text.</summary>
    Stop,

    /// <summary>The max-new-tokens limit was reached: the completion is truncated.</summary>
    Length,

    /// <summary>The model produced an end-of-sequence (or end-of-turn) token.</summary>
    Eos,
}

/// <summary>The names finish reasons are written with in JSONL files and logs.</summary>
public static class FinishReasons
{
    /// <summary><c>eos</c>, <c>stop</c> or <c>length</c>.</summary>
    public static string Name(FinishReason reason) => reason switch
    {
        FinishReason.Eos => "eos",
        FinishReason.Stop => "stop",
        FinishReason.Length => "length",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "unknown finish reason"),
    };
}
