using System.Text.Json.Serialization;

namespace MetaRewarding.Alignment.Datasets;

/// <summary>A line of <c>judgments.jsonl</c>: one of the N judge completions for a response. Lines are grouped by prompt, in prompt-file order.</summary>
[JsonConverter(typeof(JudgmentRecordConverter))]
public sealed record JudgmentRecord : IJsonlRecord
{
    /// <summary>Unique id of the judgment.</summary>
    public required string Id { get; init; }

    /// <summary>The prompt of the judged response.</summary>
    public required string PromptId { get; init; }

    /// <summary>The judged response.</summary>
    public required string ResponseId { get; init; }

    /// <summary>The judge's completion only (never the judge prompt): the score is parsed from it.</summary>
    public required string Text { get; init; }

    public string? Problem() => RecordChecks.NonEmpty(("id", Id), ("promptId", PromptId), ("responseId", ResponseId));
}
