using System.Text.Json;
using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Alignment.Datasets;
using MetaRewarding.Alignment.Pairs;
using MetaRewarding.Alignment.Templates;
using MetaRewarding.TestSupport;

namespace MetaRewarding.Alignment.Tests.Pairs;

public class IterationPairBuilderTests
{
    private static readonly DatasetJsonContext Json = DatasetJsonContext.Default;

    [Fact]
    public void Build_HandComputedIteration_MakesTheExpectedPairsAndMetrics()
    {
        using var folder = new TemporaryFolder("alignment-tests-");
        var inputs = WriteScenario(folder);
        var pairs = new List<PreferencePairRecord>();

        var metrics = IterationPairBuilder.Build(inputs, Context(trainsJudge: true), pairs.Add);

        // p1: r1 "4" and r2 tie at the top (mean 4); ρ = 0 takes the shorter, r1. r3 (mean 0) is the worst.
        var actor = pairs.Single(p => p.Kind == PairKind.Actor);
        Assert.Equal(("p1", "p1/r1", "p1/r3", "What is 2+2?"), (actor.PromptId, actor.ChosenId, actor.RejectedId, actor.Prompt));
        Assert.Equal((4.0, 0.0), (actor.ChosenScore, actor.RejectedScore));

        // Judge pair: r1 has the highest variance (scores 5 and 3); its judgment j1 wins both battles.
        var judge = pairs.Single(p => p.Kind == PairKind.Judge);
        Assert.Equal(("p1/r1", "p1/r1/j1", "p1/r1/j2"), (judge.ResponseId, judge.ChosenId, judge.RejectedId));
        Assert.Equal("Correct and complete. Score: 5", judge.Chosen);
        Assert.Equal(PromptTemplates.Default.Judge.Render(new TemplateValues("What is 2+2?", "4")).Text, judge.Prompt);
        Assert.True(judge.ChosenScore > judge.RejectedScore);
        Assert.Equal(2, pairs.IndexOf(judge) + 1); // actor pairs stream first, judge pairs after ω is known

        Assert.Equal(3, metrics.Prompts);
        Assert.Equal(1, metrics.PromptsWithoutResponses); // p3
        Assert.Equal(5, metrics.Responses);
        Assert.Equal(1, metrics.DuplicateResponsesDropped); // p2/r3 repeats p2/r1
        Assert.Equal(1, metrics.JudgmentsOfDuplicateResponses);
        Assert.Equal(8, metrics.Judgments);
        Assert.Equal(1, metrics.InvalidJudgments);
        Assert.Equal(1.0 / 8, metrics.InvalidJudgmentRate);
        Assert.Equal(1, metrics.InvalidJudgmentsByReason["noScore"]);
        Assert.Equal((4 + 4 + 0 + 2 + 2) / 5.0, metrics.MeanResponseScore, 12);
        Assert.Equal((1 + 16 + 4 + 3 + 4) / 5.0, metrics.MeanResponseLength, 12);
        Assert.Equal(1, metrics.ActorPairs);
        Assert.Equal(new Dictionary<string, long> { ["allScoresEqual"] = 1, ["noValidScores"] = 1 }, metrics.ActorSkips);
        Assert.Equal(1, metrics.JudgePairs);
        Assert.Equal(new Dictionary<string, long> { ["tooFewDistinctJudgments"] = 2 }, metrics.JudgeSkips);
        Assert.Equal(3, metrics.MetaJudgments);
        Assert.Equal(1, metrics.InvalidMetaJudgments);
        Assert.Equal((0.5, 0.5), (metrics.Omega1, metrics.Omega2)); // one win in each position
        Assert.Equal(0.5, metrics.MetaJudgeFirstPositionRate);
        Assert.Equal(1.0, metrics.MetaJudgeHigherScoreRate); // j1 (5) beat j2 (3) both times
        Assert.Equal(1, metrics.EloFits);
        Assert.Equal(1, metrics.MalformedLines);
        Assert.StartsWith("judgments.jsonl:9: ", Assert.Single(metrics.MalformedLineMessages), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_ActorOnlyIteration_NeedsNoMetaJudgments()
    {
        using var folder = new TemporaryFolder("alignment-tests-");
        var inputs = WriteScenario(folder) with { MetaJudgmentsPath = null };
        var pairs = new List<PreferencePairRecord>();

        var metrics = IterationPairBuilder.Build(inputs, Context(trainsJudge: false), pairs.Add);

        Assert.All(pairs, p => Assert.Equal(PairKind.Actor, p.Kind));
        Assert.Equal(0, metrics.JudgePairs);
        Assert.Equal(0, metrics.MetaJudgments);
        Assert.Throws<ArgumentException>(() => IterationPairBuilder.Build(inputs, Context(trainsJudge: true), _ => { }));
    }

    [Fact]
    public void Build_FatalPolicy_StopsAtTheMalformedJudgment()
    {
        using var folder = new TemporaryFolder("alignment-tests-");
        var inputs = WriteScenario(folder);

        var error = Assert.Throws<MalformedLineException>(() =>
            IterationPairBuilder.Build(inputs, Context(trainsJudge: true) with { MalformedLines = MalformedLinePolicy.Fatal }, _ => { }));

        Assert.Equal(("judgments.jsonl", 9L), (error.File, error.LineNumber));
    }

    [Fact]
    public void Build_RecordsNotGroupedByPrompt_FailsNamingTheLine()
    {
        using var folder = new TemporaryFolder("alignment-tests-");
        var prompts = folder.Write("prompts.jsonl", Prompt("a", "A?"), Prompt("b", "B?"));
        var responses = folder.Write("responses.jsonl", Response("a/1", "a", "x"), Response("b/1", "b", "y"), Response("a/2", "a", "z"));
        var judgments = folder.Write("judgments.jsonl");

        var error = Assert.Throws<MalformedLineException>(() =>
            IterationPairBuilder.Build(new IterationPairInputs(prompts, responses, judgments), Context(trainsJudge: false), _ => { }));

        Assert.Equal(("responses.jsonl", 3L), (error.File, error.LineNumber));
        Assert.Contains("grouped by prompt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_UnknownPromptOrResponse_IsReportedNotDropped()
    {
        using var folder = new TemporaryFolder("alignment-tests-");
        var prompts = folder.Write("prompts.jsonl", Prompt("a", "A?"));
        var responses = folder.Write("responses.jsonl", Response("a/1", "a", "x"), Response("zz/1", "zz", "y"));
        var judgments = folder.Write("judgments.jsonl", Judgment("a/9/j", "a", "a/9", "Score: 3"));

        var metrics = IterationPairBuilder.Build(new IterationPairInputs(prompts, responses, judgments), Context(trainsJudge: false), _ => { });

        Assert.Equal(2, metrics.MalformedLines);
        Assert.Contains("promptId 'zz' is not in the prompts file", metrics.MalformedLineMessages[0], StringComparison.Ordinal);
        Assert.Contains("responseId 'a/9' is not a response to prompt 'a'", metrics.MalformedLineMessages[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Build_MetaJudgmentsForAnotherResponse_SkipsThatPrompt()
    {
        using var folder = new TemporaryFolder("alignment-tests-");
        var inputs = WriteScenario(folder);
        folder.Write(
            "meta-judgments.jsonl",
            Meta("m1", "p1", "p1/r2", "p1/r2/j1", "p1/r2/j2", "Winner: Judgment A"));

        var metrics = IterationPairBuilder.Build(inputs, Context(trainsJudge: true), _ => { });

        Assert.Equal(0, metrics.JudgePairs);
        Assert.Equal(1, metrics.JudgeSkips["metaJudgmentsMismatch"]);
    }

    [Fact]
    public void Build_SameInputsTwice_GivesIdenticalOutput()
    {
        using var folder = new TemporaryFolder("alignment-tests-");
        var inputs = WriteScenario(folder);
        var first = new List<PreferencePairRecord>();
        var second = new List<PreferencePairRecord>();

        IterationPairBuilder.Build(inputs, Context(trainsJudge: true), first.Add);
        IterationPairBuilder.Build(inputs, Context(trainsJudge: true), second.Add);

        Assert.Equal(first, second);
    }

    [Fact]
    public void Build_ResponseThatWritesItsOwnScore_IsScoredOnlyByItsJudgments()
    {
        // r1 ends with "Score: 5" (as a response to "rate yourself" might) and its judges give it 1 and 2; r2 is
        // judged 3. The judge prompt quotes r1, so a parser fed the prompt would score r1 5 and choose it.
        using var folder = new TemporaryFolder("alignment-tests-");
        var prompts = folder.Write("prompts.jsonl", Prompt("p", "Rate your own answer."));
        var responses = folder.Write(
            "responses.jsonl", Response("p/r1", "p", "I am excellent.\n**Score:** 5"), Response("p/r2", "p", "A modest, correct answer."));
        var judgments = folder.Write(
            "judgments.jsonl",
            Judgment("p/r1/j1", "p", "p/r1", "It grades itself. Score: 1"),
            Judgment("p/r1/j2", "p", "p/r1", "Self-praise only. Score: [2]"),
            Judgment("p/r2/j1", "p", "p/r2", "Correct. Score: **3**"));
        var pairs = new List<PreferencePairRecord>();

        var metrics = IterationPairBuilder.Build(new IterationPairInputs(prompts, responses, judgments), Context(trainsJudge: false), pairs.Add);

        var actor = Assert.Single(pairs);
        Assert.Equal(("p/r2", 3.0, "p/r1", 1.5), (actor.ChosenId, actor.ChosenScore, actor.RejectedId, actor.RejectedScore));
        Assert.Equal((1.5 + 3) / 2, metrics.MeanResponseScore, 12);
        Assert.Equal(0, metrics.InvalidJudgments);
    }

    [Fact]
    public void Build_JudgePairCaps_DropAndCountThePairs()
    {
        using var folder = new TemporaryFolder("alignment-tests-");
        var inputs = WriteScenario(folder);
        var open = IterationPairBuilder.Build(inputs, Context(trainsJudge: true), _ => { });
        var pairs = new List<PreferencePairRecord>();
        var capped = Context(trainsJudge: true);
        capped = capped with { Settings = capped.Settings with { JudgePairs = new JudgePairSettings { MaxShare = 0.4 } } };

        var metrics = IterationPairBuilder.Build(inputs, capped, pairs.Add);

        // Uncapped: 1 actor + 1 judge pair, the judge pair's chosen judgment gives 5. With maxShare 0.4 the judge
        // pair would be half the data: J ≤ 0.4·(1 + J) allows J = 0.
        Assert.Equal(new Dictionary<string, long> { ["5"] = 1 }, open.JudgePairChosenScores);
        Assert.Equal(PairKind.Actor, Assert.Single(pairs).Kind);
        Assert.Equal(0, metrics.JudgePairs);
        Assert.Equal(1, metrics.JudgeSkips["judgeShareCap"]);
        Assert.Empty(metrics.JudgePairChosenScores);
    }

    [Fact]
    public void Build_DropSameScore_DropsAPairWhoseJudgmentsGiveOneScore()
    {
        // j0 (4) wins every battle, j1 (4) loses every battle, j2 (2) beats only j1: chosen j0, rejected j1, both 4.
        using var folder = new TemporaryFolder("alignment-tests-");
        var prompts = folder.Write("prompts.jsonl", Prompt("p", "Q?"));
        var responses = folder.Write("responses.jsonl", Response("p/r0", "p", "answer"), Response("p/r1", "p", "other"));
        var judgments = folder.Write(
            "judgments.jsonl",
            Judgment("p/r0/j0", "p", "p/r0", "Thorough. Score: 4"),
            Judgment("p/r0/j1", "p", "p/r0", "Sloppy. Score: 4"),
            Judgment("p/r0/j2", "p", "p/r0", "Harsh. Score: 2"),
            Judgment("p/r1/j0", "p", "p/r1", "Score: 3"));
        (string A, string B, string Winner)[] battles =
        [
            ("j0", "j1", "A"), ("j1", "j0", "B"), ("j0", "j2", "A"), ("j2", "j0", "B"), ("j1", "j2", "B"), ("j2", "j1", "A"),
        ];
        var metaJudgments = folder.Write(
            "meta-judgments.jsonl",
            [.. battles.Select((b, i) => Meta($"m{i}", "p", "p/r0", $"p/r0/{b.A}", $"p/r0/{b.B}", $"Winner: Judgment {b.Winner}"))]);
        var inputs = new IterationPairInputs(prompts, responses, judgments, metaJudgments);
        var context = Context(trainsJudge: true);
        var kept = new List<PreferencePairRecord>();

        IterationPairBuilder.Build(inputs, context, kept.Add);
        var metrics = IterationPairBuilder.Build(
            inputs, context with { Settings = context.Settings with { JudgePairs = new JudgePairSettings { DropSameScore = true } } }, _ => { });

        var judge = Assert.Single(kept, p => p.Kind == PairKind.Judge);
        Assert.Equal(("p/r0/j0", "p/r0/j1"), (judge.ChosenId, judge.RejectedId));
        Assert.Equal(0, metrics.JudgePairs);
        Assert.Equal(1, metrics.JudgeSkips["sameScoreJudgments"]);
    }

    private static IterationPairContext Context(bool trainsJudge) => new()
    {
        RunSeed = 1,
        Iteration = 1,
        Settings = new IterationSettings { TrainsJudge = trainsJudge },
    };

    /// <summary>
    /// p1: r1 "4" (judged 5 and 3: mean 4, variance 1), r2 "The answer is 4." (4, 4: mean 4, variance 0),
    ///     r3 "five" (0 and an unparseable judgment: mean 0, one distinct valid judgment).
    /// p2: r1 "yes" and r2 "nope" (both 2, one judgment each), r3 duplicates r1's text (dropped).
    /// p3: no responses.
    /// </summary>
    private static IterationPairInputs WriteScenario(TemporaryFolder folder)
    {
        var prompts = folder.Write("prompts.jsonl", Prompt("p1", "What is 2+2?"), Prompt("p2", "Is it?"), Prompt("p3", "Anyone?"));
        var responses = folder.Write(
            "responses.jsonl",
            Response("p1/r1", "p1", "4"),
            Response("p1/r2", "p1", "The answer is 4."),
            Response("p1/r3", "p1", "five"),
            Response("p2/r1", "p2", "yes"),
            Response("p2/r2", "p2", "nope"),
            Response("p2/r3", "p2", "yes"));
        var judgments = folder.Write(
            "judgments.jsonl",
            Judgment("p1/r1/j1", "p1", "p1/r1", "Correct and complete. Score: 5"),
            Judgment("p1/r1/j2", "p1", "p1/r1", "Correct but terse. Score: 3"),
            Judgment("p1/r2/j1", "p1", "p1/r2", "Fine. Score: 4"),
            Judgment("p1/r2/j2", "p1", "p1/r2", "Good. Score: 4"),
            Judgment("p1/r3/j1", "p1", "p1/r3", "Wrong. Score: 0"),
            Judgment("p1/r3/j2", "p1", "p1/r3", "I cannot decide."),
            Judgment("p2/r1/j1", "p2", "p2/r1", "Meh. Score: 2"),
            Judgment("p2/r2/j1", "p2", "p2/r2", "Meh too. Score: 2"),
            "{ this line is broken",
            Judgment("p2/r3/j1", "p2", "p2/r3", "Duplicate. Score: 2"));
        var metaJudgments = folder.Write(
            "meta-judgments.jsonl",
            Meta("m1", "p1", "p1/r1", "p1/r1/j1", "p1/r1/j2", "A is right.\nWinner: Judgment A"),
            Meta("m2", "p1", "p1/r1", "p1/r1/j2", "p1/r1/j1", "B is right.\nWinner: Judgement B"),
            Meta("m3", "p1", "p1/r1", "p1/r1/j1", "p1/r1/j2", "They are equal."));
        return new IterationPairInputs(prompts, responses, judgments, metaJudgments);
    }

    private static string Prompt(string id, string text) =>
        JsonSerializer.Serialize(new PromptRecord { Id = id, Prompt = text }, Json.PromptRecord);

    private static string Response(string id, string promptId, string text) =>
        JsonSerializer.Serialize(new ResponseRecord { Id = id, PromptId = promptId, Text = text }, Json.ResponseRecord);

    private static string Judgment(string id, string promptId, string responseId, string text) =>
        JsonSerializer.Serialize(new JudgmentRecord { Id = id, PromptId = promptId, ResponseId = responseId, Text = text }, Json.JudgmentRecord);

    private static string Meta(string id, string promptId, string responseId, string a, string b, string text) =>
        JsonSerializer.Serialize(
            new MetaJudgmentRecord { Id = id, PromptId = promptId, ResponseId = responseId, JudgmentAId = a, JudgmentBId = b, Text = text },
            Json.MetaJudgmentRecord);
}
