namespace MetaRewarding.Modeling.Scoring;

/// <summary>A prompt and a completion as token ids; only the completion's tokens are scored.</summary>
/// <param name="PromptIds">Conditioning tokens (at least one: the first completion token is predicted from it).</param>
/// <param name="CompletionIds">Tokens whose log-probabilities are summed; may be empty (scores 0 over 0 tokens).</param>
public sealed record CompletionSequence(IReadOnlyList<int> PromptIds, IReadOnlyList<int> CompletionIds)
{
    public int Length => PromptIds.Count + CompletionIds.Count;
}
