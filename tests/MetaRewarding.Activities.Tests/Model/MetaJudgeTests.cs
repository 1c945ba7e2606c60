using MetaRewarding.Activities.Artifacts;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Alignment.Datasets;
using MetaRewarding.Alignment.Pairs;
using MetaRewarding.Alignment.Parsing;
using MetaRewarding.Sandbox.Formats;
using MetaRewarding.Sandbox.Tasks;

namespace MetaRewarding.Activities.Tests.Model;

[Collection(SandboxRunGroup.Name)]
public sealed class MetaJudgeTests(SandboxRunFixture fixture)
{
    // Hand-made shard: p0's r0 has scores 5, 1, 5 (variance 3.56, two distinct valid texts), r1 scores 2, 3 and one
    // unparsable judgment (variance 0.25), r2 repeats r0's text (dropped as a duplicate, its judgments ignored);
    // p1's only response has three identical judgments (one distinct text: no battles); p2's response has three
    // distinct valid judgments (3·2 = 6 battles).
    private static readonly (string Id, string Prompt, string Text)[] Responses =
    [
        ("p0/r0", "p0", "A: abc"), ("p0/r1", "p0", "A: abd"), ("p0/r2", "p0", "A: abc"),
        ("p1/r0", "p1", "A: bcd"),
        ("p2/r0", "p2", "A: cde"),
    ];

    private static readonly (string ResponseId, string Text)[] Judgments =
    [
        ("p0/r0", "+++++ Score: 5"), ("p0/r0", "+---- Score: 1"), ("p0/r0", "+++++ Score: 5"),
        ("p0/r1", "++--- Score: 2"), ("p0/r1", "+++-- Score: 3"), ("p0/r1", "---"),
        ("p0/r2", "----- Score: 0"), ("p0/r2", "+++++ Score: 5"),
        ("p1/r0", "+++-- Score: 3"), ("p1/r0", "+++-- Score: 3"), ("p1/r0", "+++-- Score: 3"),
        ("p2/r0", "++++- Score: 4"), ("p2/r0", "++--- Score: 2"), ("p2/r0", "----- Score: 0"),
    ];

    [Fact]
    public async Task MetaJudge_HandMadeShard_BattlesTheHighestVarianceResponseInBothOrders()
    {
        var (responses, judgments) = await WriteShardAsync(3);
        var context = fixture.Context(SandboxRunFixture.RunId, fixture.Run);

        var beats = new System.Collections.Concurrent.ConcurrentQueue<object?>();
        var meta = await SandboxRunFixture.RunAsync(() => fixture.ReportingActivities.MetaJudgeAsync(new ShardInput(context, [responses, judgments], 3, 4)), beats);

        var records = JsonlReader.ReadFile(fixture.Store.Resolve(meta), DatasetJsonContext.Default.MetaJudgmentRecord, new MalformedLineLog(MalformedLinePolicy.Fatal))
            .Select(l => l.Record).ToList();
        Assert.Equal("runs/tiny-model/iteration-1/meta-judgments/shard-0003.jsonl", meta.Path);
        Assert.Equal(
            [
                ("p0/r0", "p0/r0/j0", "p0/r0/j1"), ("p0/r0", "p0/r0/j1", "p0/r0/j0"),
                ("p2/r0", "p2/r0/j0", "p2/r0/j1"), ("p2/r0", "p2/r0/j1", "p2/r0/j0"),
                ("p2/r0", "p2/r0/j0", "p2/r0/j2"), ("p2/r0", "p2/r0/j2", "p2/r0/j0"),
                ("p2/r0", "p2/r0/j1", "p2/r0/j2"), ("p2/r0", "p2/r0/j2", "p2/r0/j1"),
            ],
            records.Select(r => (r.ResponseId, r.JudgmentAId, r.JudgmentBId)));
        Assert.Equal(["p0/r0/m0", "p0/r0/m1"], records.Take(2).Select(r => r.Id));
        // The battles of one response share the rubric, the question and the response: every battle after a
        // response's first copies that part (at least the engine's 8-token minimum) instead of computing it.
        var done = beats.OfType<MetaRewarding.Activities.Model.StepProgress>().Last();
        Assert.True(done.ReusedPrefixTokens >= (1 + 5) * new MetaRewarding.Modeling.Generation.BatchingOptions().MinSharedPrefixTokens, $"reused {done.ReusedPrefixTokens}");
    }

    [Fact]
    public async Task MetaJudge_Output_IsExactlyWhatPairBuildingExpects()
    {
        var (responses, judgments) = await WriteShardAsync(2);
        var context = fixture.Context(SandboxRunFixture.RunId, fixture.Run);
        var meta = await SandboxRunFixture.RunAsync(() => fixture.Activities.MetaJudgeAsync(new ShardInput(context, [responses, judgments], 2, 4)));

        var pairContext = IterationPairContext.For(SandboxRunFixture.Input(SandboxRunFixture.RunId).Configuration, 1, CompactTemplates.Templates);
        var metrics = IterationPairBuilder.Build(
            new IterationPairInputs(
                fixture.Store.Resolve(fixture.PromptSlice(SandboxRunFixture.RunId)),
                fixture.Store.Resolve(responses),
                fixture.Store.Resolve(judgments),
                fixture.Store.Resolve(meta)),
            pairContext,
            _ => { });

        // Every battle on file was accepted for its prompt: none is reported as planned for another response.
        Assert.Equal(8, metrics.MetaJudgments);
        Assert.DoesNotContain(metrics.JudgeSkips, kv => kv.Key.Contains("mismatch", StringComparison.OrdinalIgnoreCase) && kv.Value > 0);
    }

    [Fact]
    public async Task MetaJudge_TruncatedResponsesAndJudgments_AreNotBattledAndOverContextBattlesAreSkipped()
    {
        // p0: r1's judgments disagree most, but r1 was cut at max new tokens; r0's third judgment says "Score: 5"
        // but was cut too. p1: one response so long that its battles' prompts exceed the model's 128 positions.
        var longResponse = "A: " + string.Concat(Enumerable.Repeat("abcdefgh", 14));
        (string, string, string, string?)[] responses =
        [
            ("p0/r0", "p0", "A: abc", CompletionFinish.Eos), ("p0/r1", "p0", "A: abd", CompletionFinish.Length),
            ("p1/r0", "p1", longResponse, CompletionFinish.Eos),
        ];
        (string, string, string?)[] judgments =
        [
            ("p0/r0", "+++++ Score: 5", CompletionFinish.Eos), ("p0/r0", "+---- Score: 1", CompletionFinish.Eos), ("p0/r0", "++--- Score: 5", CompletionFinish.Length),
            ("p0/r1", "+++++ Score: 5", CompletionFinish.Eos), ("p0/r1", "----- Score: 0", CompletionFinish.Eos),
            ("p1/r0", "++++- Score: 4", CompletionFinish.Eos), ("p1/r0", "++--- Score: 2", CompletionFinish.Eos),
        ];
        var (responsesRef, judgmentsRef) = await WriteShardAsync(1, responses, judgments);
        var context = fixture.Context(SandboxRunFixture.RunId, fixture.Run);

        var meta = await SandboxRunFixture.RunAsync(() => fixture.Activities.MetaJudgeAsync(new ShardInput(context, [responsesRef, judgmentsRef], 1, 4)));

        var records = JsonlReader.ReadFile(fixture.Store.Resolve(meta), DatasetJsonContext.Default.MetaJudgmentRecord, new MalformedLineLog(MalformedLinePolicy.Fatal))
            .Select(l => l.Record).ToList();
        Assert.Equal(
            [("p0/r0", "p0/r0/j0", "p0/r0/j1"), ("p0/r0", "p0/r0/j1", "p0/r0/j0"), ("p1/r0", "p1/r0/j0", "p1/r0/j1"), ("p1/r0", "p1/r0/j1", "p1/r0/j0")],
            records.Select(r => (r.ResponseId, r.JudgmentAId, r.JudgmentBId)));
        Assert.All(records.Take(2), r => Assert.Contains(r.FinishReason, new[] { CompletionFinish.Eos, CompletionFinish.Stop, CompletionFinish.Length }));
        Assert.All(records.Skip(2), r => Assert.Equal((CompletionFinish.Context, ""), (r.FinishReason, r.Text)));
    }

    [Fact]
    public async Task MetaJudge_OracleMode_WritesTheTrueVerdictOfEveryBattle()
    {
        const string runId = "tiny-meta-oracle";
        var run = await fixture.WriteRunAsync(SandboxRunFixture.Input(runId) with { MetaJudgeMode = MetaJudgeMode.Oracle });
        var (responses, judgments) = await WriteShardAsync(5);

        var meta = await SandboxRunFixture.RunAsync(() => fixture.Activities.MetaJudgeAsync(new ShardInput(fixture.Context(runId, run), [responses, judgments], 5, 6)));

        var records = JsonlReader.ReadFile(fixture.Store.Resolve(meta), DatasetJsonContext.Default.MetaJudgmentRecord, new MalformedLineLog(MalformedLinePolicy.Fatal))
            .Select(l => l.Record).ToList();
        var prompts = JsonlReader.ReadFile(fixture.Store.Resolve(fixture.PromptSlice(runId)), DatasetJsonContext.Default.PromptRecord, new MalformedLineLog(MalformedLinePolicy.Fatal))
            .ToDictionary(l => l.Record.Id, l => l.Record.Prompt);
        var texts = Responses.ToDictionary(r => r.Id, r => r.Text);
        var counts = new Dictionary<string, int>();
        var judged = Judgments.ToDictionary(j => $"{j.ResponseId}/j{counts[j.ResponseId] = counts.GetValueOrDefault(j.ResponseId, -1) + 1}", j => j.Text);
        Assert.Equal(8, records.Count); // the battles of the model mode's test above
        Assert.All(records, r => Assert.Equal(
            SandboxTasks.Parse(prompts[r.PromptId]).TrueMetaJudgment(texts[r.ResponseId], new ModelCompletion(judged[r.JudgmentAId]), new ModelCompletion(judged[r.JudgmentBId])),
            r.Text));
    }

    private Task<(ArtifactRef Responses, ArtifactRef Judgments)> WriteShardAsync(int shard) =>
        WriteShardAsync(shard, [.. Responses.Select(r => (r.Id, r.Prompt, r.Text, (string?)null))], [.. Judgments.Select(j => (j.ResponseId, j.Text, (string?)null))]);

    private async Task<(ArtifactRef Responses, ArtifactRef Judgments)> WriteShardAsync(
        int shard, (string Id, string Prompt, string Text, string? Finish)[] responseRows, (string ResponseId, string Text, string? Finish)[] judgmentRows)
    {
        var responses = await fixture.Store.WriteTextAsync(
            ArtifactStore.RunPath(SandboxRunFixture.RunId, "hand-made", $"responses-{shard}.jsonl"),
            string.Concat(responseRows.Select(r => Line(new ResponseRecord { Id = r.Id, PromptId = r.Prompt, Text = r.Text, FinishReason = r.Finish }, DatasetJsonContext.Default.ResponseRecord))),
            CancellationToken.None);
        var counts = new Dictionary<string, int>();
        var judgmentLines = judgmentRows.Select(j =>
        {
            var index = counts[j.ResponseId] = counts.GetValueOrDefault(j.ResponseId, -1) + 1;
            return Line(
                new JudgmentRecord { Id = $"{j.ResponseId}/j{index}", PromptId = j.ResponseId[..2], ResponseId = j.ResponseId, Text = j.Text, FinishReason = j.Finish },
                DatasetJsonContext.Default.JudgmentRecord);
        });
        var judgments = await fixture.Store.WriteTextAsync(
            ArtifactStore.RunPath(SandboxRunFixture.RunId, "hand-made", $"judgments-{shard}.jsonl"), string.Concat(judgmentLines), CancellationToken.None);
        return (responses, judgments);
    }

    private static string Line<T>(T record, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        System.Text.Json.JsonSerializer.Serialize(record, type) + "\n";
}
