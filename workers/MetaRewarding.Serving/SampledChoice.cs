using MetaRewarding.Modeling.Generation;

namespace MetaRewarding.Serving;

/// <summary>One choice of a request: which prompt it completes, the engine's result and the stop string that ended it.</summary>
internal sealed record SampledChoice(int Index, int PromptIndex, GenerationResult Result, string? MatchedStop)
{
    /// <summary>Tokens the server generated for it: the completion's, plus the end-of-sequence token when one ended it (as vLLM counts).</summary>
    public int GeneratedTokens => Result.CompletionIds.Count + (Result.FinishReason == FinishReason.Eos ? 1 : 0);
}

/// <summary>Every choice of a request, in index order, and the request's prompt and completion token counts.</summary>
internal sealed record SampledChoices(IReadOnlyList<SampledChoice> Choices, int PromptTokens)
{
    public int CompletionTokens => Choices.Sum(c => c.GeneratedTokens);
}
