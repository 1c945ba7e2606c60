using System.Collections.Concurrent;
using MetaRewarding.Activities.Artifacts;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.Activities.Model;
using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Alignment.Datasets;
using MetaRewarding.Modeling.Checkpoints;
using MetaRewarding.Sandbox;
using MetaRewarding.Sandbox.Formats;
using MetaRewarding.Sandbox.Tasks;
using MetaRewarding.Tokenization;
using Temporalio.Exceptions;

namespace MetaRewarding.Activities.Tests.Model;

[Collection(SandboxRunGroup.Name)]
public sealed class SeedAndSamplingTests(SandboxRunFixture fixture)
{
    [Fact]
    public void PrepareSeedModel_Sandbox_WritesHfFolderWithTokenizerAndHeartbeats()
    {
        var folder = fixture.Store.Resolve(fixture.SeedModel);
        Assert.Equal(ArtifactStore.RunPath(SandboxRunFixture.RunId, "seed", "model"), fixture.SeedModel.Path);
        Assert.True(File.Exists(Path.Combine(folder, HfFolder.ConfigFileName)));
        Assert.True(File.Exists(Path.Combine(folder, HfFolder.SingleWeightsFileName)));
        Assert.IsType<CharacterTokenizer>(TokenizerLoader.FromModelFolder(folder));
        Assert.NotEmpty(Directory.GetDirectories(fixture.Store.FullPath(ArtifactStore.RunPath(SandboxRunFixture.RunId, "seed", "sft-checkpoints")), "step-*"));
        var training = fixture.SeedHeartbeats.OfType<TrainingHeartbeat>().Where(h => h.Step > 0).ToList();
        Assert.NotEmpty(training);
        Assert.Equal(30, training[^1].Steps);
        // Heartbeat details reach the server through whatever converter the worker has: Temporal's default must do.
        Assert.All(fixture.SeedHeartbeats, d => Temporalio.Converters.DataConverter.Default.PayloadConverter.ToPayload(d));
    }

    [Fact]
    public async Task PrepareSeedModel_SecondCall_ReturnsSameFolderWithoutRetraining()
    {
        var manifest = Path.Combine(fixture.Store.Resolve(fixture.SeedModel), "manifest.json");
        var written = File.GetLastWriteTimeUtc(manifest);

        var again = await SandboxRunFixture.RunAsync(() => fixture.Activities.PrepareSeedModelAsync(new SeedInput(SandboxRunFixture.RunId, fixture.Run)));

        Assert.Equal(fixture.SeedModel, again);
        Assert.Equal(written, File.GetLastWriteTimeUtc(manifest));
    }

    [Fact]
    public async Task PrepareSeedModel_SameRunUnderAnotherId_WritesTheSameBytes()
    {
        var run = await fixture.WriteRunAsync(SandboxRunFixture.Input("tiny-twin"));

        var twin = await SandboxRunFixture.RunAsync(() => fixture.Activities.PrepareSeedModelAsync(new SeedInput("tiny-twin", run)));

        Assert.Equal(fixture.SeedModel.Sha256, twin.Sha256);
    }

    [Fact]
    public async Task PrepareSeedModel_CancelledMidSft_ResumesFromCheckpointToTheUninterruptedSeed()
    {
        var run = await fixture.WriteRunAsync(SandboxRunFixture.Input("tiny-seed-resume"));
        var activities = new ModelActivities(fixture.Options with { HeartbeatInterval = TimeSpan.Zero, SeedCheckpointEverySteps = 5 }, fixture.Cache);
        var env = new Temporalio.Testing.ActivityEnvironment();
        env = new Temporalio.Testing.ActivityEnvironment
        {
            Heartbeater = details =>
            {
                if (details.FirstOrDefault() is TrainingHeartbeat { Step: >= 10 })
                {
                    env.Cancel();
                }
            },
        };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => env.RunAsync(() => activities.PrepareSeedModelAsync(new SeedInput("tiny-seed-resume", run))));
        Assert.Null(fixture.Store.TryGetFolder(ArtifactStore.RunPath("tiny-seed-resume", "seed", "model")));

        var beats = new ConcurrentQueue<object?>();
        var resumed = await SandboxRunFixture.RunAsync(() => activities.PrepareSeedModelAsync(new SeedInput("tiny-seed-resume", run)), beats);

        Assert.Equal(11, beats.OfType<TrainingHeartbeat>().Where(h => h.Step > 0).Min(h => h.Step));
        Assert.Equal(fixture.SeedModel.Sha256, resumed.Sha256);
    }

    [Fact]
    public async Task GenerateResponses_TwoShards_KSamplesPerPromptGroupedBySliceOrder()
    {
        var context = fixture.Context(SandboxRunFixture.RunId, fixture.Run);
        var slice = fixture.PromptSlice(SandboxRunFixture.RunId);
        var beats = new ConcurrentQueue<object?>();

        var first = await SandboxRunFixture.RunAsync(() => fixture.ReportingActivities.GenerateResponsesAsync(new ShardInput(context, [slice], 0, 2)), beats);
        var second = await SandboxRunFixture.RunAsync(() => fixture.Activities.GenerateResponsesAsync(new ShardInput(context, [slice], 1, 2)));

        var firstRecords = Read(first, DatasetJsonContext.Default.ResponseRecord);
        var secondRecords = Read(second, DatasetJsonContext.Default.ResponseRecord);
        Assert.Equal("runs/tiny-model/iteration-1/responses/shard-0000.jsonl", first.Path);
        Assert.Equal(["p0", "p0", "p0", "p1", "p1", "p1", "p2", "p2", "p2", "p3", "p3", "p3"], firstRecords.Select(r => r.PromptId));
        Assert.Equal(["p4/r0", "p4/r1", "p4/r2", "p5/r0", "p5/r1", "p5/r2"], secondRecords.Select(r => r.Id));
        Assert.All(firstRecords.Concat(secondRecords), r => Assert.True(r.Text.Length <= SandboxLimits.ActorMaxNewTokens));
        // Each response says why it ended (the sandbox prompts fit the context: none skipped).
        Assert.All(firstRecords.Concat(secondRecords), r => Assert.Contains(r.FinishReason, new[] { CompletionFinish.Eos, CompletionFinish.Stop, CompletionFinish.Length }));
        Assert.Contains(beats, b => b is StepProgress { Step: StepSeeds.Generate, Done: 12, Total: 12 });
        // The K = 3 samples of a prompt share it: the engine computes each prompt once and copies it for the others.
        var done = beats.OfType<StepProgress>().Last(b => b.Step == StepSeeds.Generate);
        Assert.True(done.ReusedPrefixTokens >= 2 * done.PrefillTokens / 3, $"reused {done.ReusedPrefixTokens} of {done.PrefillTokens} computed prompt tokens");
        Assert.True(done.PrefillTokens > 0);
    }

    [Fact]
    public async Task GenerateResponses_Rerun_WritesSameBytesAndSecondCallDoesNotRewrite()
    {
        var context = fixture.Context(SandboxRunFixture.RunId, fixture.Run);
        var input = new ShardInput(context, [fixture.PromptSlice(SandboxRunFixture.RunId)], 0, 2);
        var first = await SandboxRunFixture.RunAsync(() => fixture.Activities.GenerateResponsesAsync(input));
        var written = File.GetLastWriteTimeUtc(fixture.Store.FullPath(first.Path));

        var idempotent = await SandboxRunFixture.RunAsync(() => fixture.Activities.GenerateResponsesAsync(input));
        Assert.Equal(first, idempotent);
        Assert.Equal(written, File.GetLastWriteTimeUtc(fixture.Store.FullPath(first.Path)));

        fixture.Delete(first);
        var rerun = await SandboxRunFixture.RunAsync(() => fixture.Activities.GenerateResponsesAsync(input));
        Assert.Equal(first, rerun);
    }

    [Fact]
    public async Task JudgeResponses_ModelJudge_NJudgmentsPerResponseFromOneModelLoad()
    {
        var context = fixture.Context(SandboxRunFixture.RunId, fixture.Run);
        var responses = await SandboxRunFixture.RunAsync(() => fixture.Activities.GenerateResponsesAsync(
            new ShardInput(context, [fixture.PromptSlice(SandboxRunFixture.RunId)], 1, 2)));
        var loads = fixture.Cache.Loads;

        var beats = new ConcurrentQueue<object?>();
        var judgments = await SandboxRunFixture.RunAsync(() => fixture.ReportingActivities.JudgeResponsesAsync(new ShardInput(context, [responses], 1, 2)), beats);
        var again = await SandboxRunFixture.RunAsync(() => fixture.Activities.JudgeResponsesAsync(new ShardInput(context, [responses], 1, 2)));

        var records = Read(judgments, DatasetJsonContext.Default.JudgmentRecord);
        // Truncated responses are never paired nor battled, so they are not judged.
        var responseIds = Read(responses, DatasetJsonContext.Default.ResponseRecord)
            .Where(r => CompletionFinish.IsComplete(r.FinishReason)).Select(r => r.Id).ToList();
        Assert.NotEmpty(responseIds);
        Assert.Equal(responseIds.SelectMany(id => new[] { id, id, id }), records.Select(j => j.ResponseId));
        Assert.Equal(responseIds[0] + "/j2", records[2].Id);
        Assert.All(records, j => Assert.Contains(j.FinishReason, CompletionFinish.All));
        // The N = 3 judgments of a response share its judge prompt: computed once, copied twice.
        var done = beats.OfType<StepProgress>().Last(b => b.Step == StepSeeds.Judge);
        Assert.True(done.ReusedPrefixTokens >= done.PrefillTokens, $"reused {done.ReusedPrefixTokens}, computed {done.PrefillTokens}");
        Assert.Equal(judgments, again);
        Assert.Equal(loads, fixture.Cache.Loads);
    }

    [Fact]
    public async Task JudgeResponses_Oracle_WritesTheRubricMarksAndTrueScore()
    {
        var context = fixture.Context(SandboxRunFixture.OracleRunId, fixture.OracleRun);
        var responses = await SandboxRunFixture.RunAsync(() => fixture.Activities.GenerateResponsesAsync(
            new ShardInput(context, [fixture.PromptSlice(SandboxRunFixture.OracleRunId)], 0, 2)));

        var judgments = await SandboxRunFixture.RunAsync(() => fixture.Activities.JudgeResponsesAsync(new ShardInput(context, [responses], 0, 2)));

        var prompts = Read(fixture.PromptSlice(SandboxRunFixture.OracleRunId), DatasetJsonContext.Default.PromptRecord).ToDictionary(p => p.Id, p => p.Prompt);
        var byId = Read(responses, DatasetJsonContext.Default.ResponseRecord).ToDictionary(r => r.Id);
        var records = Read(judgments, DatasetJsonContext.Default.JudgmentRecord);
        Assert.Equal(byId.Count, records.Count);
        Assert.All(records, j =>
        {
            var response = byId[j.ResponseId];
            var marks = SandboxTasks.Parse(prompts[j.PromptId]).Marks(response.Text);
            Assert.Equal(JudgmentFormat.Format(marks), j.Text);
        });
    }

    [Fact]
    public async Task JudgeResponses_Random_OneSeededScorePerResponse()
    {
        const string runId = "tiny-random";
        var run = await fixture.WriteRunAsync(SandboxRunFixture.Input(runId, JudgeMode.Random));
        var context = fixture.Context(runId, run);
        var responses = await SandboxRunFixture.RunAsync(() => fixture.Activities.GenerateResponsesAsync(new ShardInput(context, [fixture.PromptSlice(runId)], 0, 2)));

        var judgments = await SandboxRunFixture.RunAsync(() => fixture.Activities.JudgeResponsesAsync(new ShardInput(context, [responses], 0, 2)));

        var records = Read(judgments, DatasetJsonContext.Default.JudgmentRecord);
        Assert.Equal(Read(responses, DatasetJsonContext.Default.ResponseRecord).Select(r => r.Id + "/j0"), records.Select(j => j.Id));
        Assert.All(records, j => Assert.Matches("^Score: [0-5]$", j.Text));
        Assert.True(records.Select(j => j.Text).Distinct().Count() > 1, "every score the same: not drawn");
    }

    [Fact]
    public async Task GenerateResponses_WrongInputs_FailsNonRetryableNamingTheProblem()
    {
        var context = fixture.Context(SandboxRunFixture.RunId, fixture.Run);
        var slice = fixture.PromptSlice(SandboxRunFixture.RunId);

        var wrongCount = await Assert.ThrowsAsync<ApplicationFailureException>(() =>
            SandboxRunFixture.RunAsync(() => fixture.Activities.GenerateResponsesAsync(new ShardInput(context, [slice, slice], 3, 4))));
        var tampered = await Assert.ThrowsAsync<ApplicationFailureException>(() =>
            SandboxRunFixture.RunAsync(() => fixture.Activities.GenerateResponsesAsync(new ShardInput(context, [slice with { Sha256 = new string('0', 64) }], 3, 4))));

        Assert.Equal(ErrorTypes.InvalidConfiguration, wrongCount.ErrorType);
        Assert.True(wrongCount.NonRetryable);
        Assert.Contains("one input", wrongCount.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorTypes.MissingInput, tampered.ErrorType);
        Assert.True(tampered.NonRetryable);
        Assert.Contains(slice.Path, tampered.Message, StringComparison.Ordinal);
    }

    private List<T> Read<T>(ArtifactRef artifact, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
        where T : class, IJsonlRecord =>
        [.. JsonlReader.ReadFile(fixture.Store.Resolve(artifact), type, new MalformedLineLog(MalformedLinePolicy.Fatal)).Select(l => l.Record)];
}
