using MetaRewarding.Activities.Contracts;
using MetaRewarding.Activities.Run;

namespace MetaRewarding.Activities.Tests.Model;

/// <summary>
/// One whole iteration through both activity sets, as the iteration workflow calls them (PrepareRun, seed,
/// SelectPrompts, per-shard generate/judge/meta-judge, BuildPairs, TrainDpo, Evaluate), on the tiny sandbox model.
/// </summary>
[Collection(SandboxRunGroup.Name)]
public sealed class IterationPipelineTests(SandboxRunFixture fixture, Xunit.Abstractions.ITestOutputHelper output)
{
    // Enough seed SFT (400 steps of 32 at lr 1e-2, ~5 s) for the tiny judge to write parsable scores most of the
    // time (measured: 7% invalid, 6 actor and 4 judge pairs), so DPO really trains; 30 steps gave 100% invalid.
    private const int SftSteps = 400;

    [Fact]
    public async Task Iteration_TwoRunsWithTheSameSettings_ProduceConsistentAndIdenticalArtifacts()
    {
        var first = await RunIterationAsync("tiny-e2e-a");
        var second = await RunIterationAsync("tiny-e2e-b");

        var metrics = first.Pairs.Metrics;
        output.WriteLine($"responses {metrics.Responses}, invalid judgments {metrics.InvalidJudgmentRate:0.00}, meta-judgments {metrics.MetaJudgments}, " +
            $"actor pairs {metrics.ActorPairs}, judge pairs {metrics.JudgePairs}, DPO steps {first.Training.Steps}, loss {first.Training.MeanLoss:0.000}");
        Assert.Equal(SandboxRunFixture.Prompts * 3, metrics.Responses + metrics.DuplicateResponsesDropped);
        Assert.Equal(first.MetaJudgmentLines, metrics.MetaJudgments);
        Assert.True(metrics.MetaJudgments > 0, "the meta-judge had no battles");
        Assert.True(first.Training.Steps > 0, "no pairs, so DPO did not train");
        Assert.DoesNotContain(metrics.JudgeSkips, kv => kv.Key.Contains("mismatch", StringComparison.OrdinalIgnoreCase) && kv.Value > 0);
        Assert.Equal(metrics.ActorPairs + metrics.JudgePairs, first.Training.Pairs);
        Assert.Equal(first.Training.Pairs == 0, first.Training.Model == first.Seed);
        Assert.Contains("actorAccuracy", first.Evaluation.Metrics.Keys);

        // Seeds derive from the run seed, iteration, step and item, never from the run id or the worker.
        Assert.Equal(first.Pairs.Pairs.Sha256, second.Pairs.Pairs.Sha256);
        Assert.Equal(first.Training.Model.Sha256, second.Training.Model.Sha256);
        Assert.Equal(first.Evaluation.Metrics, second.Evaluation.Metrics);
    }

    private async Task<IterationOutcome> RunIterationAsync(string runId)
    {
        var cpu = new RunActivities(fixture.Store);
        var gpu = fixture.Activities;
        var input = SandboxRunFixture.Input(runId);
        input = input with { Sandbox = input.Sandbox! with { SftSteps = SftSteps, SftBatchSize = 32, SftLearningRate = 1e-2 } };
        var snapshot = await SandboxRunFixture.RunAsync(() => cpu.PrepareRunAsync(input));
        var seed = await SandboxRunFixture.RunAsync(() => gpu.PrepareSeedModelAsync(new SeedInput(runId, snapshot.Run)));
        var context = new IterationContext(runId, snapshot.Run, 1, seed);
        var slice = await SandboxRunFixture.RunAsync(() => cpu.SelectPromptsAsync(new SelectPromptsInput(context, snapshot.PromptPool)));
        var responses = new List<ArtifactRef>();
        var judgments = new List<ArtifactRef>();
        var metaJudgments = new List<ArtifactRef>();
        for (var shard = 0; shard < slice.Shards; shard++)
        {
            var s = shard;
            responses.Add(await SandboxRunFixture.RunAsync(() => gpu.GenerateResponsesAsync(new ShardInput(context, [slice.Prompts], s, slice.Shards))));
            judgments.Add(await SandboxRunFixture.RunAsync(() => gpu.JudgeResponsesAsync(new ShardInput(context, [responses[s]], s, slice.Shards))));
            metaJudgments.Add(await SandboxRunFixture.RunAsync(() => gpu.MetaJudgeAsync(new ShardInput(context, [responses[s], judgments[s]], s, slice.Shards))));
        }

        var pairs = await SandboxRunFixture.RunAsync(() => cpu.BuildPairsAsync(new PairsInput(context, responses, judgments, metaJudgments)));
        var training = await SandboxRunFixture.RunAsync(() => gpu.TrainDpoAsync(new TrainingInput(context, pairs.Pairs)));
        var evaluation = await SandboxRunFixture.RunAsync(() => gpu.EvaluateAsync(new EvaluationInput(runId, snapshot.Run, training.Model, "iteration-1")));
        var lines = metaJudgments.Sum(m => File.ReadAllLines(fixture.Store.Resolve(m)).Length);
        return new IterationOutcome(seed, pairs, training, evaluation, lines);
    }

    private sealed record IterationOutcome(ArtifactRef Seed, PairsOutput Pairs, TrainingOutput Training, EvaluationOutput Evaluation, long MetaJudgmentLines);
}
