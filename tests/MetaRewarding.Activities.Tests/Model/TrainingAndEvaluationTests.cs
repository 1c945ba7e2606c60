using System.Collections.Concurrent;
using MetaRewarding.Activities.Artifacts;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.Activities.Model;
using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Alignment.Datasets;
using MetaRewarding.Modeling.Training;
using MetaRewarding.Sandbox;
using MetaRewarding.Sandbox.Tasks;
using Temporalio.Exceptions;
using Temporalio.Testing;

namespace MetaRewarding.Activities.Tests.Model;

[Collection(SandboxRunGroup.Name)]
public sealed class TrainingAndEvaluationTests(SandboxRunFixture fixture)
{
    private const int PairCount = 10; // batch 4, 2 epochs: 3 + 3 = 6 optimizer steps, a checkpoint after each

    /// <summary>The evaluation keys agreed with the report (EvaluationOutput.Metrics).</summary>
    private static readonly string[] MetricNames =
    [
        "actorAccuracy", "actorSampledAccuracy", "passAtK", "judgeAgreement", "judgeWithinOne", "judgeSpearman", "judgeParseRate",
        "metaJudgeAccuracy", "metaJudgeHigherScoreRate", "metaJudgePositionARate",
    ];

    [Fact]
    public async Task TrainDpo_InterruptedAndRetried_ResumesFromCheckpointToTheUninterruptedModel()
    {
        var straight = await TrainAsync("tiny-dpo-a", fixture.Activities, new ConcurrentQueue<object?>());

        // The same run under another id, with a heartbeat on every step, cancelled when step 3 is reported.
        var everyStep = new ModelActivities(fixture.Options with { HeartbeatInterval = TimeSpan.Zero }, fixture.Cache);
        var input = await PrepareAsync("tiny-dpo-b");
        var env = new ActivityEnvironment();
        env = new ActivityEnvironment
        {
            Heartbeater = details =>
            {
                if (details.FirstOrDefault() is TrainingHeartbeat { Step: >= 3 })
                {
                    env.Cancel();
                }
            },
        };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => env.RunAsync(() => everyStep.TrainDpoAsync(input)));
        var checkpoints = new CheckpointStore(fixture.Store.FullPath(ArtifactStore.RunPath("tiny-dpo-b", "iteration-1", "dpo", "checkpoints")));
        Assert.Equal(3, checkpoints.Steps()[0]);
        var reference = Path.Combine(checkpoints.Root, DpoTrainer.ReferenceFolderName, "manifest.json");
        var referenceWritten = File.GetLastWriteTimeUtc(reference);

        var beats = new ConcurrentQueue<object?>();
        var resumed = await SandboxRunFixture.RunAsync(() => everyStep.TrainDpoAsync(input), beats);

        var steps = beats.OfType<TrainingHeartbeat>().Where(h => h.Step > 0).Select(h => h.Step).ToList();
        Assert.Equal(4, steps.Min());
        Assert.Equal(6, steps.Max());
        Assert.Equal(referenceWritten, File.GetLastWriteTimeUtc(reference));
        Assert.Equal(straight.Model.Sha256, resumed.Model.Sha256);
        Assert.Equal(6, resumed.Steps);
        Assert.Equal(PairCount, resumed.Pairs);
        Assert.NotEqual(fixture.SeedModel.Sha256, resumed.Model.Sha256);
    }

    [Fact]
    public async Task TrainDpo_SecondCall_ReturnsTheTrainedModelWithoutTraining()
    {
        var first = await TrainAsync("tiny-dpo-c", fixture.Activities, new ConcurrentQueue<object?>());
        var summary = fixture.Store.FullPath(ArtifactStore.RunPath("tiny-dpo-c", "iteration-1", "dpo", "training.json"));
        var written = File.GetLastWriteTimeUtc(summary);
        var beats = new ConcurrentQueue<object?>();

        var second = await SandboxRunFixture.RunAsync(() => fixture.Activities.TrainDpoAsync(new TrainingInput(Context("tiny-dpo-c"), Pairs("tiny-dpo-c"))), beats);

        Assert.Equal(first, second);
        Assert.Equal(written, File.GetLastWriteTimeUtc(summary));
        Assert.DoesNotContain(beats, b => b is TrainingHeartbeat { Step: > 0 });
        Assert.True(double.IsFinite(first.MeanLoss) && first.RewardAccuracy is >= 0 and <= 1);
        Assert.Contains("\"meanLoss\"", File.ReadAllText(summary), StringComparison.Ordinal); // the store's one casing, camelCase
    }

    [Fact]
    public async Task TrainDpo_NoPairs_ReturnsTheModelUnchangedAndSurvivesTheRunPayloadConverter()
    {
        var run = await fixture.WriteRunAsync(SandboxRunFixture.Input("tiny-dpo-empty"));
        var pairs = await fixture.Store.WriteTextAsync(ArtifactStore.RunPath("tiny-dpo-empty", "iteration-1", "pairs.jsonl"), "", CancellationToken.None);

        var output = await SandboxRunFixture.RunAsync(() => fixture.Activities.TrainDpoAsync(
            new TrainingInput(new IterationContext("tiny-dpo-empty", run, 1, fixture.SeedModel), pairs)));

        Assert.Equal(fixture.SeedModel, output.Model);
        Assert.Equal(0, output.Steps);
        // NaN figures need the run's payload converter (Temporal's default JSON refuses NaN).
        var converter = RunPayloadConverter.DataConverter.PayloadConverter;
        var roundTrip = (TrainingOutput)converter.ToValue(converter.ToPayload(output), typeof(TrainingOutput))!;
        Assert.Equal(output.Model, roundTrip.Model);
        Assert.True(double.IsNaN(roundTrip.MeanLoss));
    }

    [Fact]
    public async Task TrainDpo_LossNotFinite_FailsNonRetryableDivergedAndDropsCheckpoints()
    {
        // lr 1e30 without clipping: Adam's first update is ~lr per weight; the next step's loss is not finite.
        var input = await PrepareAsync("tiny-dpo-nan", dpo => dpo with { LearningRate = 1e30, MaxGradNorm = null });

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => SandboxRunFixture.RunAsync(() => fixture.Activities.TrainDpoAsync(input)));

        Assert.Equal(ErrorTypes.DivergedTraining, failure.ErrorType);
        Assert.True(failure.NonRetryable);
        Assert.Contains("learningRate", failure.Message, StringComparison.Ordinal);
        Assert.Empty(new CheckpointStore(fixture.Store.FullPath(ArtifactStore.RunPath("tiny-dpo-nan", "iteration-1", "dpo", "checkpoints"))).Steps());
        Assert.Null(fixture.Store.TryGetFolder(ArtifactStore.RunPath("tiny-dpo-nan", "iteration-1", "model")));
    }

    [Fact]
    public async Task Evaluate_Sandbox_WritesEveryMetricOnceAndReturnsItAgain()
    {
        var input = new EvaluationInput(SandboxRunFixture.RunId, fixture.Run, fixture.SeedModel, "seed");

        var first = await SandboxRunFixture.RunAsync(() => fixture.Activities.EvaluateAsync(input));
        var file = fixture.Store.FullPath(first.Details.Path);
        var written = File.GetLastWriteTimeUtc(file);
        var second = await SandboxRunFixture.RunAsync(() => fixture.Activities.EvaluateAsync(input));

        Assert.Equal("runs/tiny-model/evaluation/seed.json", first.Details.Path);
        foreach (var key in new[] { "actorAccuracy", "actorSampledAccuracy", "passAtK", "judgeAgreement", "judgeWithinOne", "judgeParseRate" })
        {
            Assert.InRange(first.Metrics[key], 0, 1);
        }

        Assert.InRange(first.Metrics["judgeSpearman"], -1, 1);
        Assert.All(first.Metrics.Keys, k => Assert.Contains(k, MetricNames));
        Assert.Equal(first.Metrics, second.Metrics);
        Assert.Equal(first.Details, second.Details);
        Assert.Equal(written, File.GetLastWriteTimeUtc(file));
        var text = await File.ReadAllTextAsync(file);
        Assert.Contains("\"actor\"", text, StringComparison.Ordinal);
        Assert.Contains("\"catchRates\"", text, StringComparison.Ordinal);
    }

    private IterationContext Context(string runId) =>
        new(runId, fixture.Store.TryGetFile(ArtifactStore.RunPath(runId, "run.json"))!, 1, fixture.SeedModel);

    private ArtifactRef Pairs(string runId) => fixture.Store.TryGetFile(ArtifactStore.RunPath(runId, "iteration-1", "pairs.jsonl"))!;

    private async Task<TrainingOutput> TrainAsync(string runId, ModelActivities activities, ConcurrentQueue<object?> beats)
    {
        var input = await PrepareAsync(runId);
        return await SandboxRunFixture.RunAsync(() => activities.TrainDpoAsync(input), beats);
    }

    /// <summary>run.json and a pairs file of <see cref="PairCount"/> actor pairs: a correct answer against a wrong one.</summary>
    private async Task<TrainingInput> PrepareAsync(string runId, Func<DpoSettings, DpoSettings>? dpo = null)
    {
        var input = SandboxRunFixture.Input(runId);
        if (dpo is not null)
        {
            var iteration = input.Configuration.Iterations[0];
            input = input with { Configuration = input.Configuration with { Iterations = [iteration with { Dpo = dpo(iteration.Dpo) }] } };
        }

        var run = await fixture.WriteRunAsync(input);
        var tasks = new TaskSource(SandboxSettings.For(TaskFamily.Constraint)).Take(DatasetSplit.Iteration, PairCount);
        var lines = tasks.Select((t, i) => new PreferencePairRecord
        {
            Kind = PairKind.Actor,
            Prompt = t.Prompt + "\n",
            Chosen = "A: " + t.SampleCorrectAnswer(SandboxRandom.For(1, "test", i)),
            Rejected = "A: aa",
            PromptId = $"p{i}",
            ChosenId = $"p{i}/r0",
            RejectedId = $"p{i}/r1",
        }).Select(p => System.Text.Json.JsonSerializer.Serialize(p, DatasetJsonContext.Default.PreferencePairRecord) + "\n");
        var pairs = await fixture.Store.WriteTextAsync(ArtifactStore.RunPath(runId, "iteration-1", "pairs.jsonl"), string.Concat(lines), CancellationToken.None);
        return new TrainingInput(new IterationContext(runId, run, 1, fixture.SeedModel), pairs);
    }
}
