using MetaRewarding.Activities.Contracts;
using Temporalio.Workflows;

namespace MetaRewarding.Workflows;

/// <summary>
/// The model steps of one iteration's shard s, as activity calls on the GPU queue: what the iteration workflow
/// chains per shard (or, in runs recorded before the chaining, fans out phase by phase). Workflow code: it only
/// schedules activities.
/// </summary>
internal sealed class ShardSteps(IterationContext context, PromptSlice slice, TaskQueues queues, ActivityTimeouts timeouts, bool trainsJudge)
{
    /// <summary>Shards of the slice.</summary>
    public int Count => slice.Shards;

    /// <summary>Whether the iteration meta-judges (it trains the judge).</summary>
    public bool TrainsJudge => trainsJudge;

    /// <summary>Step 2: K responses per prompt of shard <paramref name="shard"/>.</summary>
    public Task<ArtifactRef> GenerateAsync(int shard)
    {
        var input = new ShardInput(context, [slice.Prompts], shard, slice.Shards);
        return Workflow.ExecuteActivityAsync((IModelActivities a) => a.GenerateResponsesAsync(input), ActivityPolicies.ModelShard(queues, timeouts));
    }

    /// <summary>Step 3: N judgments per response of the shard.</summary>
    public Task<ArtifactRef> JudgeAsync(int shard, ArtifactRef responses)
    {
        var input = new ShardInput(context, [responses], shard, slice.Shards);
        return Workflow.ExecuteActivityAsync((IModelActivities a) => a.JudgeResponsesAsync(input), ActivityPolicies.ModelShard(queues, timeouts));
    }

    /// <summary>Steps 5a–5b: the battles of the shard's prompts.</summary>
    public Task<ArtifactRef> MetaJudgeAsync(int shard, ArtifactRef responses, ArtifactRef judgments)
    {
        var input = new ShardInput(context, [responses, judgments], shard, slice.Shards);
        return Workflow.ExecuteActivityAsync((IModelActivities a) => a.MetaJudgeAsync(input), ActivityPolicies.ModelShard(queues, timeouts));
    }
}
