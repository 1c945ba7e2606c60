namespace MetaRewarding.Modeling.Generation;

/// <summary>
/// A completion: its token ids (without the prompt and without a final eos token), its text when the
/// generator has a decoder (cut before a matched stop string), and why it ended.
/// </summary>
public sealed record GenerationResult(IReadOnlyList<int> CompletionIds, string? Text, FinishReason FinishReason)
{
    /// <summary>
    /// The model's log-probability of each completion token (fp32 log-softmax of the raw logits, before temperature or
    /// top-p), one per <see cref="CompletionIds"/> entry; empty where the generator does not record them.
    /// </summary>
    public IReadOnlyList<double> TokenLogProbs { get; init; } = [];
}
