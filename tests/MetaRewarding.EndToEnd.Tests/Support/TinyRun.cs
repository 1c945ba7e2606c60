using MetaRewarding.Activities.Contracts;
using MetaRewarding.Alignment.Configuration;

namespace MetaRewarding.EndToEnd.Tests.Support;

/// <summary>
/// The smallest sandbox run that still exercises every phase: a 1-layer Llama of hidden size 32 seeded by 400 SFT
/// steps, then two iterations of 8 prompts (K = 3 responses, N = 2 judgments, shards of 4), the judge trained in
/// the first. Seconds of torch per phase on two cores.
/// </summary>
public static class TinyRun
{
    public const int Seed = 11;

    /// <summary>Heartbeat timeouts short enough that a killed worker's activity is retried within seconds.</summary>
    public static ActivityTimeouts FastFailover { get; } = new()
    {
        // Well above the activities' 2 s heartbeat interval, so a live but busy worker is never declared dead.
        ModelShardHeartbeat = TimeSpan.FromSeconds(8),
        TrainingHeartbeat = TimeSpan.FromSeconds(8),
    };

    public static RunInput Input(string runId, TaskQueues queues) => Input(runId, queues, [Iteration(trainsJudge: true), Iteration(trainsJudge: false)]);

    /// <summary>
    /// One actor-only iteration with enough work that a generation shard and DPO each last about a second or more
    /// (64 prompts in two shards of 32, K = 4 responses of up to 64 tokens; DPO over tens of pairs, 10 checkpoints):
    /// long enough for a crash test to kill a worker in the middle of either.
    /// </summary>
    public static RunInput Crashable(string runId, TaskQueues queues)
    {
        var input = Input(runId, queues, [Iteration(trainsJudge: false) with
        {
            Prompts = 64,
            ResponsesPerPrompt = 4,
            ActorSampling = new SamplingSettings { Temperature = 1, TopP = 1, MaxNewTokens = 64 },
        }]);
        return input with { Configuration = input.Configuration with { ShardSize = 32 } };
    }

    private static RunInput Input(string runId, TaskQueues queues, IReadOnlyList<IterationSettings> iterations) => new()
    {
        RunId = runId,
        JudgeMode = JudgeMode.Model,
        TaskQueues = queues,
        Timeouts = FastFailover,
        Sandbox = new SandboxOptions
        {
            HiddenSize = 32,
            Layers = 1,
            Heads = 4,
            IntermediateSize = 64,
            SftSteps = 400,
            SftBatchSize = 16,
            EvaluationPrompts = 8,
            EvaluationSamples = 2,
        },
        Configuration = new RunConfiguration
        {
            Seed = Seed,
            ShardSize = 4,
            Iterations = [.. iterations],
        },
    };

    private static IterationSettings Iteration(bool trainsJudge) => new()
    {
        TrainsJudge = trainsJudge,
        Prompts = 8,
        ResponsesPerPrompt = 3,
        JudgmentsPerResponse = 2,
        ActorSampling = new SamplingSettings { Temperature = 1, TopP = 1, MaxNewTokens = 20 },
        JudgeSampling = new SamplingSettings { Temperature = 1, TopP = 1, MaxNewTokens = 16 },
        MetaJudgeSampling = new SamplingSettings { Temperature = 1, TopP = 1, MaxNewTokens = 32 },
        Dpo = new DpoSettings { GlobalBatchSize = 2, LearningRate = 1e-3, Epochs = 2, RpoAlpha = 1 },
    };
}
