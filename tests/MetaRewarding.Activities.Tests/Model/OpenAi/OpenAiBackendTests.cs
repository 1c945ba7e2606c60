using System.Collections.Concurrent;
using MetaRewarding.Activities.Artifacts;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.Activities.Model;
using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Alignment.Datasets;

namespace MetaRewarding.Activities.Tests.Model.OpenAi;

/// <summary>
/// The <c>openai</c> generation backend runs a real run's generate, judge and meta-judge shards against the real
/// <c>serve</c> over HTTP: the same records as the engine backend (every sample has its own seed, and serve samples
/// request c with the engine's stream for that seed), progress heartbeats, and a shard lost mid-way resuming without
/// sending its finished samples again (through a forwarding test double that counts and then fails).
/// </summary>
[Collection(SandboxRunGroup.Name)]
public sealed class OpenAiBackendTests(SandboxRunFixture fixture)
{
    [Fact]
    public async Task Shards_OpenaiBackendAgainstServe_WriteTheEngineBackendsRecords()
    {
        await using var served = await ServedSeedModel.StartAsync(fixture);
        var engineRun = await ServedSeedModel.WriteRunAsync(fixture, "oa-engine", new GenerationSettings());
        var openaiRun = await ServedSeedModel.WriteRunAsync(fixture, "oa-serve", ServedSeedModel.Openai(served.Server.BaseAddress));

        var viaEngine = await ServedSeedModel.RunShardsAsync(fixture, fixture.Activities, "oa-engine", engineRun);
        var viaServe = await ServedSeedModel.RunShardsAsync(fixture, fixture.Activities, "oa-serve", openaiRun);

        Assert.Equal(viaEngine.Responses.Sha256, viaServe.Responses.Sha256);
        Assert.Equal(viaEngine.Judgments.Sha256, viaServe.Judgments.Sha256);
        Assert.Equal(viaEngine.MetaJudgments.Sha256, viaServe.MetaJudgments.Sha256);
        Assert.Equal(12, File.ReadAllLines(fixture.Store.Resolve(viaServe.Responses)).Length); // 4 prompts × K = 3
        var complete = JsonlReader.ReadFile(fixture.Store.Resolve(viaServe.Responses), DatasetJsonContext.Default.ResponseRecord, new MalformedLineLog(MalformedLinePolicy.Fatal))
            .Count(l => CompletionFinish.IsComplete(l.Record.FinishReason));
        Assert.Equal(3 * complete, File.ReadAllLines(fixture.Store.Resolve(viaServe.Judgments)).Length); // N = 3 per complete response
        Assert.Empty(Directory.EnumerateFiles(fixture.Store.FullPath(ArtifactStore.RunPath("oa-serve", "iteration-1", "work")))); // journals removed once written

        // The 30-step seed model writes no parsable scores (and cuts most responses at max new tokens), so its
        // meta-judge shard has no battles: meta-judge again on its responses marked as ended and three judgments of
        // each with a score appended (2, 3, 4 for j0..j2), which gives every prompt 3·2 battles.
        var (ended, scored) = await EndedResponsesWithScoredJudgmentsAsync(viaEngine.Responses);
        var metaViaEngine = await MetaJudgeAsync("oa-engine", engineRun, ended, scored);
        var metaViaServe = await MetaJudgeAsync("oa-serve", openaiRun, ended, scored);
        Assert.Equal(24, File.ReadAllLines(fixture.Store.Resolve(metaViaServe)).Length); // 4 prompts × 6 battles
        Assert.Equal(metaViaEngine.Sha256, metaViaServe.Sha256);
    }

    private async Task<(ArtifactRef Responses, ArtifactRef Judgments)> EndedResponsesWithScoredJudgmentsAsync(ArtifactRef responses)
    {
        var ended = JsonlReader.ReadFile(fixture.Store.Resolve(responses), DatasetJsonContext.Default.ResponseRecord, new MalformedLineLog(MalformedLinePolicy.Fatal))
            .Select(l => l.Record with { FinishReason = CompletionFinish.Eos }).ToList();
        var judgments = ended.SelectMany(r => Enumerable.Range(0, 3).Select(j => new JudgmentRecord
        {
            Id = $"{r.Id}/j{j}",
            PromptId = r.PromptId,
            ResponseId = r.Id,
            Text = $"{r.Text[..Math.Min(3, r.Text.Length)]} Score: {2 + j}",
            FinishReason = CompletionFinish.Eos,
        }));
        return (await WriteAsync("ended-responses.jsonl", ended, DatasetJsonContext.Default.ResponseRecord),
            await WriteAsync("scored-judgments.jsonl", judgments, DatasetJsonContext.Default.JudgmentRecord));
    }

    private Task<ArtifactRef> WriteAsync<T>(string name, IEnumerable<T> records, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        fixture.Store.WriteTextAsync(
            ArtifactStore.RunPath("oa-serve", name),
            string.Concat(records.Select(r => System.Text.Json.JsonSerializer.Serialize(r, type) + "\n")),
            CancellationToken.None);

    private Task<ArtifactRef> MetaJudgeAsync(string runId, ArtifactRef run, ArtifactRef responses, ArtifactRef judgments) =>
        SandboxRunFixture.RunAsync(() => fixture.Activities.MetaJudgeAsync(new ShardInput(fixture.Context(runId, run), [responses, judgments], 1, 2)));

    [Fact]
    public async Task Generate_OpenaiBackend_HeartbeatsProgressToTheShardsTotal()
    {
        await using var served = await ServedSeedModel.StartAsync(fixture);
        var run = await ServedSeedModel.WriteRunAsync(fixture, "oa-beats", ServedSeedModel.Openai(served.Server.BaseAddress, maxConcurrency: 2));
        var activities = new ModelActivities(fixture.Options with { HeartbeatInterval = TimeSpan.Zero }, fixture.Cache);
        var beats = new ConcurrentQueue<object?>();

        await SandboxRunFixture.RunAsync(() => activities.GenerateResponsesAsync(new(fixture.Context("oa-beats", run), [fixture.PromptSlice("oa-beats")], 0, 2)), beats);

        var progress = beats.OfType<StepProgress>().Where(p => p.Total > 0).ToList();
        Assert.Equal(StepSeeds.Generate, progress[^1].Step);
        Assert.Equal(12, progress[^1].Done);
        Assert.Equal(12, progress[^1].Total);
        Assert.True(progress.Count >= 2, "progress is reported as samples finish, not only at the end");
    }

    [Fact]
    public async Task Generate_ServeWithApiKey_AnswersTheKeyFromApiKeyEnv()
    {
        Environment.SetEnvironmentVariable("MR_TEST_SERVE_KEY", "sk-serve-1");
        await using var served = await ServedSeedModel.StartAsync(fixture, name: "seed-1", apiKey: "sk-serve-1");
        var run = await ServedSeedModel.WriteRunAsync(fixture, "oa-key", ServedSeedModel.Openai(served.Server.BaseAddress) with { ApiKeyEnv = "MR_TEST_SERVE_KEY", Model = "seed-{iteration}" });

        var written = await SandboxRunFixture.RunAsync(() => fixture.Activities.GenerateResponsesAsync(new(fixture.Context("oa-key", run), [fixture.PromptSlice("oa-key")], 0, 2)));

        Assert.Equal(12, File.ReadAllLines(fixture.Store.Resolve(written)).Length);
    }

    [Fact]
    public async Task Generate_PromptFormatText_WritesTheSameRecordsAsTokenIds()
    {
        await using var served = await ServedSeedModel.StartAsync(fixture);
        var ids = await ServedSeedModel.WriteRunAsync(fixture, "oa-ids", ServedSeedModel.Openai(served.Server.BaseAddress));
        var text = await ServedSeedModel.WriteRunAsync(fixture, "oa-text", ServedSeedModel.Openai(served.Server.BaseAddress) with { PromptFormat = PromptFormat.Text });

        var fromIds = await SandboxRunFixture.RunAsync(() => fixture.Activities.GenerateResponsesAsync(new(fixture.Context("oa-ids", ids), [fixture.PromptSlice("oa-ids")], 0, 2)));
        var fromText = await SandboxRunFixture.RunAsync(() => fixture.Activities.GenerateResponsesAsync(new(fixture.Context("oa-text", text), [fixture.PromptSlice("oa-text")], 0, 2)));

        Assert.Equal(fromIds.Sha256, fromText.Sha256);
    }

    [Fact]
    public async Task Generate_LostMidway_ResumesWithoutResendingFinishedSamples()
    {
        await using var served = await ServedSeedModel.StartAsync(fixture);
        using var upstream = new HttpClient { BaseAddress = served.Server.BaseAddress };
        var failAfter = 5;
        var forwarded = 0;
        await using var proxy = await OpenAiEndpointDouble.StartAsync(async (context, body) =>
        {
            if (context.Request.Path == "/v1/completions" && Interlocked.Increment(ref forwarded) > failAfter)
            {
                await OpenAiEndpointDouble.Answer(context, 503, """{"error": {"message": "worker lost"}}""");
                return;
            }

            await OpenAiEndpointDouble.Forward(context, body, upstream);
        });
        var run = await ServedSeedModel.WriteRunAsync(fixture, "oa-resume", ServedSeedModel.Openai(proxy.BaseAddress, maxConcurrency: 1));
        var shard = new ShardInput(fixture.Context("oa-resume", run), [fixture.PromptSlice("oa-resume")], 0, 2);

        var lost = await Assert.ThrowsAsync<MetaRewarding.Activities.Model.OpenAi.GenerationServerException>(() => SandboxRunFixture.RunAsync(() => fixture.Activities.GenerateResponsesAsync(shard)));
        Assert.Contains("HTTP 503 worker lost", lost.Message, StringComparison.Ordinal);
        Assert.Contains(proxy.BaseAddress + "v1/completions", lost.Message, StringComparison.Ordinal);
        var journal = fixture.Store.FullPath(ArtifactStore.RunPath("oa-resume", "iteration-1", "work", "responses-shard-0000.jsonl"));
        Assert.Equal(1 + failAfter, File.ReadAllLines(journal).Length); // the fingerprint, then one line per finished sample

        failAfter = int.MaxValue;
        var before = proxy.Completions;
        var resumed = await SandboxRunFixture.RunAsync(() => fixture.Activities.GenerateResponsesAsync(shard));

        Assert.Equal(12 - 5, proxy.Completions - before); // only the samples the lost attempt had not finished
        var reference = await ServedSeedModel.WriteRunAsync(fixture, "oa-resume-ref", new GenerationSettings());
        var uninterrupted = await SandboxRunFixture.RunAsync(() => fixture.Activities.GenerateResponsesAsync(new(fixture.Context("oa-resume-ref", reference), [fixture.PromptSlice("oa-resume-ref")], 0, 2)));
        Assert.Equal(uninterrupted.Sha256, resumed.Sha256);
        Assert.False(File.Exists(journal));
    }

    [Fact]
    public async Task Generate_JournalOfOtherRequests_IsDiscardedNotReused()
    {
        await using var served = await ServedSeedModel.StartAsync(fixture);
        var run = await ServedSeedModel.WriteRunAsync(fixture, "oa-stale", ServedSeedModel.Openai(served.Server.BaseAddress));
        var journal = fixture.Store.FullPath(ArtifactStore.RunPath("oa-stale", "iteration-1", "work", "responses-shard-0000.jsonl"));
        Directory.CreateDirectory(Path.GetDirectoryName(journal)!);
        File.WriteAllText(journal, "{\"fingerprint\":\"written-for-other-settings\"}\n{\"id\":\"p0/r0\",\"text\":\"STALE\",\"finishReason\":\"eos\"}\n");

        var written = await SandboxRunFixture.RunAsync(() => fixture.Activities.GenerateResponsesAsync(new(fixture.Context("oa-stale", run), [fixture.PromptSlice("oa-stale")], 0, 2)));

        Assert.DoesNotContain("STALE", File.ReadAllText(fixture.Store.Resolve(written)), StringComparison.Ordinal);
    }
}
