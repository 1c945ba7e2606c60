namespace MetaRewarding.Modeling.Generation;

/// <summary>One prompt to complete. <see cref="Seed"/> alone decides its random draws, whatever it is batched with.</summary>
public sealed record GenerationRequest
{
    public required IReadOnlyList<int> PromptIds { get; init; }

    /// <summary>Per-request seed: the same prompt, options and seed give the same completion alone or in any batch.</summary>
    public long Seed { get; init; }
}
