namespace MetaRewarding.Modeling.Generation;

/// <summary>
/// Finish reasons in the OpenAI protocol, both ways, in one place: <c>serve</c> writes them and the <c>openai</c>
/// generation backend reads them (docs/GENERATION.md). The protocol has <c>stop</c> for both an end-of-sequence token
/// and a stop string; vLLM tells them apart with <c>stop_reason</c> (null for end-of-sequence, the matched string
/// otherwise), and TGI names them <c>eos_token</c> and <c>stop_sequence</c>.
/// </summary>
public static class OpenAiFinishReasons
{
    /// <summary><c>finish_reason</c> and vLLM's <c>stop_reason</c> for <paramref name="reason"/>.</summary>
    public static (string FinishReason, string? StopReason) Write(FinishReason reason, string? matchedStop) => reason switch
    {
        FinishReason.Length => ("length", null),
        FinishReason.Stop => ("stop", matchedStop),
        FinishReason.Eos => ("stop", null),
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "unknown finish reason"),
    };

    /// <summary>
    /// The engine's reason for a server's <c>finish_reason</c> (and <c>stop_reason</c>, when it sends one); null for a
    /// value the protocol does not define for completions (the caller names the endpoint in its error).
    /// </summary>
    public static FinishReason? Read(string? finishReason, string? stopReason) => finishReason switch
    {
        "length" => FinishReason.Length,
        "stop" => stopReason is null ? FinishReason.Eos : FinishReason.Stop,
        "eos_token" => FinishReason.Eos,
        "stop_sequence" => FinishReason.Stop,
        _ => null,
    };
}
