using System.Text.Json;
using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Alignment.Datasets;
using MetaRewarding.Alignment.Pairs;
using MetaRewarding.Alignment.Parsing;
using MetaRewarding.Alignment.Tests.Datasets;

namespace MetaRewarding.Alignment.Tests.Pairs;

/// <summary>
/// Completions cut at max new tokens (finish reason <c>length</c>) or never generated (<c>context</c>): truncated
/// responses are neither paired nor battled, truncated judgments and meta-judgments are invalid, and the metrics
/// count each (docs/GENERATION.md, "Truncation and context").
/// </summary>
public class TruncationTests
{
    private static readonly DatasetJsonContext Json = DatasetJsonContext.Default;

    [Fact]
    public void Build_TruncatedResponseWithTheBestScores_IsNeitherPairedNorBattled()
    {
        using var folder = new TempFolder();
        var inputs = WriteScenario(folder);
        var pairs = new List<PreferencePairRecord>();

        var metrics = IterationPairBuilder.Build(inputs, Context(), pairs.Add);

        // r2 scores best (5, 5: mean 5) and r4's judgments disagree most (5, 1: variance 4), but both were cut: the
        // actor pair is r1 (mean 4) over r3 (mean 1), and the battles are r1's (variance 1).
        var actor = pairs.Single(p => p.Kind == PairKind.Actor);
        Assert.Equal(("p1/r1", "p1/r3"), (actor.ChosenId, actor.RejectedId));
        var judge = pairs.Single(p => p.Kind == PairKind.Judge);
        Assert.Equal("p1/r1", judge.ResponseId);

        Assert.Equal(4, metrics.Responses);
        Assert.Equal(2, metrics.TruncatedResponses);
        Assert.Equal(0.5, metrics.TruncatedResponseRate);
        Assert.Equal(1, metrics.OverContext); // the skipped meta-judgment
    }

    [Fact]
    public void Build_TruncatedJudgment_CountsAsInvalidWhateverItsText()
    {
        using var folder = new TempFolder();
        var inputs = WriteScenario(folder);

        var metrics = IterationPairBuilder.Build(inputs, Context(), _ => { });

        // p1/r1/j3 says "Score: 5" but was cut: invalid, reason "truncated".
        Assert.Equal(1, metrics.TruncatedJudgments);
        Assert.Equal(1.0 / 9, metrics.TruncatedJudgmentRate, 12);
        Assert.Equal(1, metrics.InvalidJudgmentsByReason["truncated"]);
        Assert.Equal(1, metrics.InvalidJudgments);
    }

    [Fact]
    public void Build_TruncatedOrSkippedMetaJudgment_IsAnInvalidBattle()
    {
        using var folder = new TempFolder();
        var inputs = WriteScenario(folder);

        var metrics = IterationPairBuilder.Build(inputs, Context(), _ => { });

        // m1 names a winner but was cut, m2 was not generated (context): only m0 and m3 count.
        Assert.Equal(4, metrics.MetaJudgments);
        Assert.Equal(2, metrics.InvalidMetaJudgments);
        Assert.Equal(1, metrics.TruncatedMetaJudgments);
        Assert.Equal(1.0 / 4, metrics.TruncatedMetaJudgmentRate, 12);
        Assert.Equal((0.5, 1.0), (metrics.MetaJudgeFirstPositionRate, metrics.MetaJudgeHigherScoreRate)); // j1 (5) beat j2 (3) from A and from B
    }

    [Theory]
    [InlineData("""{"id":"m","promptId":"p","responseId":"r","judgmentAId":"a","judgmentBId":"b","text":"Winner: Judgment A","finishReason":"length"}""")]
    [InlineData("""{"id":"m","promptId":"p","responseId":"r","judgmentAId":"a","judgmentBId":"b","finishReason":"length","text":"Winner: Judgment A"}""")]
    public void MetaJudgmentVerdict_Truncated_IsInvalidWhereverTheFieldIs(string line)
    {
        var verdict = JsonSerializer.Deserialize(line, Json.MetaJudgmentVerdict)!;

        Assert.False(verdict.Verdict.IsValid);
        Assert.Contains("cut at max new tokens", verdict.Verdict.Failure, StringComparison.Ordinal);
        Assert.Equal(CompletionFinish.Length, verdict.FinishReason);
    }

    [Theory]
    [InlineData(null, ScoreParseFailure.None)]
    [InlineData(CompletionFinish.Eos, ScoreParseFailure.None)]
    [InlineData(CompletionFinish.Stop, ScoreParseFailure.None)]
    [InlineData(CompletionFinish.Length, ScoreParseFailure.Truncated)]
    [InlineData(CompletionFinish.Context, ScoreParseFailure.OverContext)]
    public void JudgeScoreParser_FinishReason_DecidesBeforeTheText(string? finishReason, ScoreParseFailure expected)
    {
        var result = JudgeScoreParser.Parse(new ModelCompletion("Looks right. Score: 4", finishReason));

        Assert.Equal(expected, result.Failure);
    }

    [Fact]
    public void JudgmentRecord_FinishReason_RoundTripsAndOlderFilesHaveNone()
    {
        var record = new JudgmentRecord { Id = "j", PromptId = "p", ResponseId = "r", Text = "Score: 3", FinishReason = CompletionFinish.Length };

        var line = JsonSerializer.Serialize(record, Json.JudgmentRecord);
        var legacy = JsonSerializer.Deserialize("""{"id":"j","promptId":"p","responseId":"r","text":"Score: 3"}""", Json.JudgmentRecord)!;

        Assert.Equal(record, JsonSerializer.Deserialize(line, Json.JudgmentRecord));
        Assert.Contains("\"finishReason\":\"length\"", line, StringComparison.Ordinal);
        Assert.Null(legacy.FinishReason);
        Assert.True(JudgeScoreParser.Parse(legacy.Completion).IsValid);
    }

    [Fact]
    public void Build_UnknownFinishReason_IsAMalformedLineNamingTheValues()
    {
        using var folder = new TempFolder();
        var prompts = folder.Write("prompts.jsonl", Prompt("a", "A?"));
        var responses = folder.Write("responses.jsonl", """{"id":"a/1","promptId":"a","text":"x","finishReason":"timeout"}""");
        var judgments = folder.Write("judgments.jsonl");

        var metrics = IterationPairBuilder.Build(new IterationPairInputs(prompts, responses, judgments), Context() with { Settings = new IterationSettings() }, _ => { });

        Assert.Equal(1, metrics.MalformedLines);
        Assert.Contains("'timeout'; it must be one of eos, stop, length, context", metrics.MalformedLineMessages[0], StringComparison.Ordinal);
    }

    private static IterationPairContext Context() => new()
    {
        RunSeed = 1,
        Iteration = 1,
        Settings = new IterationSettings { TrainsJudge = true },
    };

    /// <summary>
    /// p1: r1 "4" (eos; judged 5, 3 and a truncated "Score: 5"), r2 a long answer cut at max new tokens (judged 5, 5),
    /// r3 "no" (stop; judged 1, 1), r4 another cut answer (judged 5, 1). Meta-judgments of r1: m1 valid, m2 truncated,
    /// m3 skipped for context.
    /// </summary>
    private static IterationPairInputs WriteScenario(TempFolder folder)
    {
        var prompts = folder.Write("prompts.jsonl", Prompt("p1", "What is 2+2?"));
        var responses = folder.Write(
            "responses.jsonl",
            Response("p1/r1", "4", CompletionFinish.Eos),
            Response("p1/r2", "The answer, after a long and careful derivation, is", CompletionFinish.Length),
            Response("p1/r3", "no", CompletionFinish.Stop),
            Response("p1/r4", "Let me think about", CompletionFinish.Length));
        var judgments = folder.Write(
            "judgments.jsonl",
            Judgment("p1/r1/j1", "p1/r1", "Right. Score: 5", CompletionFinish.Eos),
            Judgment("p1/r1/j2", "p1/r1", "Terse. Score: 3", CompletionFinish.Eos),
            Judgment("p1/r1/j3", "p1/r1", "Score: 5 because", CompletionFinish.Length),
            Judgment("p1/r2/j1", "p1/r2", "Great. Score: 5", CompletionFinish.Eos),
            Judgment("p1/r2/j2", "p1/r2", "Superb. Score: 5", CompletionFinish.Eos),
            Judgment("p1/r3/j1", "p1/r3", "Wrong. Score: 1", CompletionFinish.Eos),
            Judgment("p1/r3/j2", "p1/r3", "No. Score: 1", CompletionFinish.Eos),
            Judgment("p1/r4/j1", "p1/r4", "Good start. Score: 5", CompletionFinish.Eos),
            Judgment("p1/r4/j2", "p1/r4", "Unfinished. Score: 1", CompletionFinish.Eos));
        var metaJudgments = folder.Write(
            "meta-judgments.jsonl",
            Meta("p1/r1/m0", "p1/r1/j1", "p1/r1/j2", "Winner: Judgment A", CompletionFinish.Eos),
            Meta("p1/r1/m1", "p1/r1/j2", "p1/r1/j1", "Winner: Judgment B", CompletionFinish.Length),
            Meta("p1/r1/m2", "p1/r1/j1", "p1/r1/j2", "", CompletionFinish.Context),
            Meta("p1/r1/m3", "p1/r1/j2", "p1/r1/j1", "Winner: Judgment B", CompletionFinish.Stop));
        return new IterationPairInputs(prompts, responses, judgments, metaJudgments);
    }

    private static string Prompt(string id, string text) =>
        JsonSerializer.Serialize(new PromptRecord { Id = id, Prompt = text }, Json.PromptRecord);

    private static string Response(string id, string text, string finishReason) =>
        JsonSerializer.Serialize(new ResponseRecord { Id = id, PromptId = "p1", Text = text, FinishReason = finishReason }, Json.ResponseRecord);

    private static string Judgment(string id, string responseId, string text, string finishReason) =>
        JsonSerializer.Serialize(
            new JudgmentRecord { Id = id, PromptId = "p1", ResponseId = responseId, Text = text, FinishReason = finishReason }, Json.JudgmentRecord);

    private static string Meta(string id, string a, string b, string text, string finishReason) =>
        JsonSerializer.Serialize(
            new MetaJudgmentRecord { Id = id, PromptId = "p1", ResponseId = "p1/r1", JudgmentAId = a, JudgmentBId = b, Text = text, FinishReason = finishReason },
            Json.MetaJudgmentRecord);
}
