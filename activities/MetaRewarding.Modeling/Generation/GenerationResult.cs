namespace MetaRewarding.Modeling.Generation;

/// <summary>
/// A completion: its token ids (without the prompt and without a final eos token), its text when the
/// generator has a decoder (cut before a matched stop string), and why it ended.
/// </summary>
public sealed record GenerationResult(IReadOnlyList<int> CompletionIds, string? Text, FinishReason FinishReason);
