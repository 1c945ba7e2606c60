namespace MetaRewarding.Alignment.Datasets;

/// <summary>A line of <c>meta-judgments.jsonl</c>: one meta-judge battle between two judgments of the selected response.</summary>
public sealed record MetaJudgmentRecord : IJsonlRecord
{
    /// <summary>Unique id of the meta-judgment.</summary>
    public required string Id { get; init; }

    /// <summary>The prompt.</summary>
    public required string PromptId { get; init; }

    /// <summary>The response both judgments judge (the prompt's selected, highest-variance response).</summary>
    public required string ResponseId { get; init; }

    /// <summary>The judgment shown as Judgment A (first position).</summary>
    public required string JudgmentAId { get; init; }

    /// <summary>The judgment shown as Judgment B (second position).</summary>
    public required string JudgmentBId { get; init; }

    /// <summary>The meta-judge's completion only: the verdict is parsed from it.</summary>
    public required string Text { get; init; }

    /// <summary>Why the completion ended: <c>eos</c>, <c>stop</c>, <c>length</c> (truncated) or <c>context</c> (not generated); null in older files (<see cref="CompletionFinish"/>).</summary>
    public string? FinishReason { get; init; }

    public string? Problem() => RecordChecks.NonEmpty(
        ("id", Id), ("promptId", PromptId), ("responseId", ResponseId), ("judgmentAId", JudgmentAId), ("judgmentBId", JudgmentBId))
        ?? (JudgmentAId == JudgmentBId ? $"judgmentAId and judgmentBId are both '{JudgmentAId}'; a battle needs two judgments" : null)
        ?? CompletionFinish.Problem(FinishReason);
}
