using Temporalio.Activities;

namespace MetaRewarding.Activities.Contracts;

/// <summary>
/// Model activities (task queue <see cref="TaskQueues.Gpu"/>): they load a checkpoint (kept loaded in the worker,
/// keyed by its hash, so shards don't reload it), heartbeat their progress, and are idempotent. Training resumes
/// from the newest verified checkpoint in the store when it is retried or reset.
/// </summary>
public interface IModelActivities
{
    /// <summary>Makes M_0: the base model, after the seed SFT when the run has one (a sandbox run always does).</summary>
    [Activity(ActivityNames.PrepareSeedModel)]
    Task<ArtifactRef> PrepareSeedModelAsync(SeedInput input);

    /// <summary>Samples K responses per prompt of one shard with the actor template.</summary>
    [Activity(ActivityNames.GenerateResponses)]
    Task<ArtifactRef> GenerateResponsesAsync(ShardInput input);

    /// <summary>Judges each response of one shard N times with the judge template (or the oracle, in the sandbox).</summary>
    [Activity(ActivityNames.JudgeResponses)]
    Task<ArtifactRef> JudgeResponsesAsync(ShardInput input);

    /// <summary>Meta-judges, per prompt of one shard, every pair of judgments of its highest-variance response, in both orders.</summary>
    [Activity(ActivityNames.MetaJudge)]
    Task<ArtifactRef> MetaJudgeAsync(ShardInput input);

    /// <summary>DPO of M_t on the iteration's pairs into M_{t+1}, checkpointing and signalling progress as it goes.</summary>
    [Activity(ActivityNames.TrainDpo)]
    Task<TrainingOutput> TrainDpoAsync(TrainingInput input);

    /// <summary>Evaluates a checkpoint on held-out prompts.</summary>
    [Activity(ActivityNames.Evaluate)]
    Task<EvaluationOutput> EvaluateAsync(EvaluationInput input);
}
