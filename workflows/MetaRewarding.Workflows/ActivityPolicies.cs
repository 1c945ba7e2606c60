using MetaRewarding.Activities.Contracts;
using Temporalio.Common;
using Temporalio.Workflows;

namespace MetaRewarding.Workflows;

/// <summary>
/// Timeouts and retries per kind of activity. Every kind retries without limit on transient failures (a GPU node
/// lost, a worker restarted) with capped backoff, and never on the errors a retry cannot fix
/// (<see cref="ErrorTypes.NonRetryable"/>): those wait for a person, who fixes the cause and resets the run there.
/// </summary>
internal static class ActivityPolicies
{
    private static RetryPolicy Retry(TimeSpan maximumInterval) => new()
    {
        InitialInterval = TimeSpan.FromSeconds(1),
        BackoffCoefficient = 2,
        MaximumInterval = maximumInterval,
        NonRetryableErrorTypes = [.. ErrorTypes.NonRetryable],
    };

    /// <summary>CPU work over JSONL: minutes at the paper's scale.</summary>
    public static ActivityOptions Cpu(TaskQueues queues) => new()
    {
        TaskQueue = queues.Cpu,
        StartToCloseTimeout = TimeSpan.FromMinutes(30),
        RetryPolicy = Retry(TimeSpan.FromMinutes(1)),
    };

    /// <summary>
    /// One shard of generation/judging, or an evaluation: up to hours on a big model. The heartbeat timeout is
    /// what notices a dead worker quickly; activities heartbeat at least every few seconds while they work.
    /// </summary>
    public static ActivityOptions ModelShard(TaskQueues queues, ActivityTimeouts timeouts) => new()
    {
        TaskQueue = queues.Gpu,
        StartToCloseTimeout = TimeSpan.FromHours(6),
        HeartbeatTimeout = timeouts.ModelShardHeartbeat,
        RetryPolicy = Retry(TimeSpan.FromMinutes(2)),
    };

    /// <summary>Training (seed SFT, DPO): may run a day; resumes from its newest checkpoint on a new attempt.</summary>
    public static ActivityOptions Training(TaskQueues queues, ActivityTimeouts timeouts) => new()
    {
        TaskQueue = queues.Gpu,
        StartToCloseTimeout = TimeSpan.FromHours(48),
        HeartbeatTimeout = timeouts.TrainingHeartbeat,
        RetryPolicy = Retry(TimeSpan.FromMinutes(5)),
    };
}
