namespace MetaRewarding.Alignment.Datasets;

/// <summary>A line of <c>responses.jsonl</c>: one of the K actor responses to a prompt. Lines are grouped by prompt, in prompt-file order.</summary>
public sealed record ResponseRecord : IJsonlRecord
{
    /// <summary>Unique id of the response.</summary>
    public required string Id { get; init; }

    /// <summary>The prompt it answers.</summary>
    public required string PromptId { get; init; }

    /// <summary>The generated response (the completion only).</summary>
    public required string Text { get; init; }

    /// <summary>Why the completion ended: <c>eos</c>, <c>stop</c>, <c>length</c> (truncated) or <c>context</c> (not generated); null in older files (<see cref="CompletionFinish"/>).</summary>
    public string? FinishReason { get; init; }

    public string? Problem() => RecordChecks.NonEmpty(("id", Id), ("promptId", PromptId)) ?? CompletionFinish.Problem(FinishReason);
}
