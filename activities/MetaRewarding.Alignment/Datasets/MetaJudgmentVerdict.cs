using System.Text.Json.Serialization;
using MetaRewarding.Alignment.Parsing;

namespace MetaRewarding.Alignment.Datasets;

/// <summary>
/// A line of <c>meta-judgments.jsonl</c> as pair building reads it: the ids and the verdict parsed from
/// <c>text</c> (see <see cref="MetaJudgmentVerdictConverter"/>), not the text itself.
/// </summary>
[JsonConverter(typeof(MetaJudgmentVerdictConverter))]
public sealed record MetaJudgmentVerdict : IJsonlRecord
{
    public required string Id { get; init; }

    public required string PromptId { get; init; }

    public required string ResponseId { get; init; }

    public required string JudgmentAId { get; init; }

    public required string JudgmentBId { get; init; }

    /// <summary>The verdict parsed from the meta-judge's completion (the <c>text</c> field).</summary>
    public required VerdictParseResult Verdict { get; init; }

    /// <summary>The <c>finishReason</c> field (a truncated or skipped meta-judgment's verdict is invalid).</summary>
    public string? FinishReason { get; init; }

    public string? Problem() => RecordChecks.NonEmpty(
        ("id", Id), ("promptId", PromptId), ("responseId", ResponseId), ("judgmentAId", JudgmentAId), ("judgmentBId", JudgmentBId))
        ?? (JudgmentAId == JudgmentBId ? $"judgmentAId and judgmentBId are both '{JudgmentAId}'; a battle needs two judgments" : null)
        ?? CompletionFinish.Problem(FinishReason);
}
