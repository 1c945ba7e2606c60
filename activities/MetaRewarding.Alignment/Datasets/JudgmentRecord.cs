using System.Text.Json.Serialization;
using MetaRewarding.Alignment.Parsing;

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

    /// <summary>Why the completion ended: <c>eos</c>, <c>stop</c>, <c>length</c> (truncated) or <c>context</c> (not generated); null in older files (<see cref="CompletionFinish"/>).</summary>
    public string? FinishReason { get; init; }

    /// <summary>What the score parser reads: the text and how it ended (a truncated judgment has no valid score).</summary>
    public ModelCompletion Completion => new(Text, FinishReason);

    public string? Problem() => RecordChecks.NonEmpty(("id", Id), ("promptId", PromptId), ("responseId", ResponseId)) ?? CompletionFinish.Problem(FinishReason);
}
