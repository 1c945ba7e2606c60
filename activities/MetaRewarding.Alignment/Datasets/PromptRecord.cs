namespace MetaRewarding.Alignment.Datasets;

/// <summary>A line of <c>prompts.jsonl</c>: one user instruction.</summary>
public sealed record PromptRecord : IJsonlRecord
{
    /// <summary>Unique id of the prompt within the pool.</summary>
    public required string Id { get; init; }

    /// <summary>The user's instruction.</summary>
    public required string Prompt { get; init; }

    public string? Problem() => RecordChecks.NonEmpty(("id", Id));
}
