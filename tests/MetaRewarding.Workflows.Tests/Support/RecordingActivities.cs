using System.Collections.Concurrent;
using MetaRewarding.Activities.Contracts;
using MetaRewarding.Alignment.Metrics;
using Temporalio.Activities;

namespace MetaRewarding.Workflows.Tests.Support;

/// <summary>
/// Test double for both activity interfaces: no model, no store. Each call is recorded as
/// "Name(iteration, shard)" and answered with a made-up artifact reference whose path names the call, so a test
/// can check what the workflows asked for, in what order, and what they passed on. <see cref="Gate"/> lets a test
/// hold one activity type open to look at the workflows while they wait.
/// </summary>
public sealed class RecordingActivities : IRunActivities, IModelActivities
{
    private readonly ConcurrentQueue<string> calls = new();

    /// <summary>Prompts per iteration slice and shards per slice the double reports.</summary>
    public int Shards { get; init; } = 2;

    /// <summary>An activity name to hold until <see cref="Release"/> (null: hold nothing).</summary>
    public string? Gate { get; init; }

    private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource reachedGate = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<string> Calls => [.. calls];

    public ConcurrentQueue<ArtifactRef> TrainedFrom { get; } = new();

    public Task ReachedGate => reachedGate.Task;

    public void Release() => released.TrySetResult();

    /// <summary>One call to hold, by its recorded name (e.g. "GenerateResponses(1,1)"), until <see cref="Release"/> (null: none).</summary>
    public string? GateCall { get; init; }

    private async Task RecordAsync(string call, string activity)
    {
        calls.Enqueue(call);
        if (activity == Gate || call == GateCall)
        {
            reachedGate.TrySetResult();
            await released.Task.WaitAsync(ActivityExecutionContext.Current.CancellationToken);
        }

        // Recorded after the call's work (and its gate): what a test compares with the starts in Calls.
        finished.Enqueue(call);
    }

    private readonly ConcurrentQueue<string> finished = new();

    /// <summary>Calls that have returned, in the order they returned.</summary>
    public IReadOnlyList<string> Finished => [.. finished];

    private static ArtifactRef Ref(string path) => new(path, new string('0', 64), 1);

    [Activity(ActivityNames.PrepareRun)]
    public async Task<RunSnapshot> PrepareRunAsync(RunInput input)
    {
        await RecordAsync("PrepareRun", ActivityNames.PrepareRun);
        return new RunSnapshot(Ref($"runs/{input.RunId}/run.json"), Ref($"runs/{input.RunId}/prompts.jsonl"), 100);
    }

    [Activity(ActivityNames.SelectPrompts)]
    public async Task<PromptSlice> SelectPromptsAsync(SelectPromptsInput input)
    {
        await RecordAsync($"SelectPrompts({input.Context.Iteration})", ActivityNames.SelectPrompts);
        return new PromptSlice(Ref($"iteration-{input.Context.Iteration}/prompts.jsonl"), 10, Shards);
    }

    [Activity(ActivityNames.BuildPairs)]
    public async Task<PairsOutput> BuildPairsAsync(PairsInput input)
    {
        var t = input.Context.Iteration;
        await RecordAsync($"BuildPairs({t},{input.Responses.Count},{input.Judgments.Count},{input.MetaJudgments.Count})", ActivityNames.BuildPairs);
        return new PairsOutput(Ref($"iteration-{t}/pairs.jsonl"), new IterationMetrics { Iteration = t, ActorPairs = 7 });
    }

    [Activity(ActivityNames.WriteReport)]
    public async Task<ArtifactRef> WriteReportAsync(ReportInput input)
    {
        await RecordAsync($"WriteReport({input.Iterations.Count})", ActivityNames.WriteReport);
        return Ref($"runs/{input.RunId}/report.json");
    }

    [Activity(ActivityNames.PrepareSeedModel)]
    public async Task<ArtifactRef> PrepareSeedModelAsync(SeedInput input)
    {
        await RecordAsync("PrepareSeedModel", ActivityNames.PrepareSeedModel);
        return Ref("seed/model");
    }

    [Activity(ActivityNames.GenerateResponses)]
    public async Task<ArtifactRef> GenerateResponsesAsync(ShardInput input)
    {
        await RecordAsync($"GenerateResponses({input.Context.Iteration},{input.Shard})", ActivityNames.GenerateResponses);
        return Ref($"iteration-{input.Context.Iteration}/responses/{input.Shard}");
    }

    [Activity(ActivityNames.JudgeResponses)]
    public async Task<ArtifactRef> JudgeResponsesAsync(ShardInput input)
    {
        await RecordAsync($"JudgeResponses({input.Context.Iteration},{input.Shard})", ActivityNames.JudgeResponses);
        return Ref($"iteration-{input.Context.Iteration}/judgments/{input.Shard}");
    }

    [Activity(ActivityNames.MetaJudge)]
    public async Task<ArtifactRef> MetaJudgeAsync(ShardInput input)
    {
        await RecordAsync($"MetaJudge({input.Context.Iteration},{input.Shard})", ActivityNames.MetaJudge);
        return Ref($"iteration-{input.Context.Iteration}/meta-judgments/{input.Shard}");
    }

    [Activity(ActivityNames.TrainDpo)]
    public async Task<TrainingOutput> TrainDpoAsync(TrainingInput input)
    {
        var t = input.Context.Iteration;
        TrainedFrom.Enqueue(input.Context.Model);
        await RecordAsync($"TrainDpo({t})", ActivityNames.TrainDpo);
        return new TrainingOutput(Ref($"iteration-{t}/model"), 3, 7, 0.5, 0.75, 0.1);
    }

    [Activity(ActivityNames.Evaluate)]
    public async Task<EvaluationOutput> EvaluateAsync(EvaluationInput input)
    {
        await RecordAsync($"Evaluate({input.Label})", ActivityNames.Evaluate);
        return new EvaluationOutput(input.Label, new Dictionary<string, double> { ["actorAccuracy"] = 0.5 }, Ref($"evaluation/{input.Label}.json"));
    }
}
