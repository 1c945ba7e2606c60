namespace MetaRewarding.Activities.Model;

/// <summary>
/// How the GPU worker runs the model activities. One GPU serves one activity at a time: register the model
/// activities on a worker whose <c>MaxConcurrentActivities</c> is 1, so shards queue in Temporal (where another
/// worker can take them) rather than fighting over the device's memory inside one process.
/// </summary>
public sealed record ModelActivitiesOptions
{
    /// <summary>Root of the artifact store (shared by every worker of a deployment).</summary>
    public required string StoreRoot { get; init; }

    /// <summary>torch device: <c>cpu</c> or <c>cuda</c> / <c>cuda:N</c>.</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>Compute dtype of loaded models: <c>float32</c> (bit-reproducible on CPU) or <c>bfloat16</c> (GPU).</summary>
    public string ComputeDtype { get; init; } = "float32";

    /// <summary>
    /// The accelerator's memory in bytes, or null for no check. When set, every model activity first checks that each
    /// phase of every iteration fits (<see cref="RunMemoryPlan"/>) and fails with InvalidConfiguration, naming the
    /// fix, before any GPU time is spent.
    /// </summary>
    public long? DeviceMemoryBytes { get; init; }

    /// <summary>Prompts decoded together; larger is faster per token on a GPU until memory runs out.</summary>
    public int GenerationBatchSize { get; init; } = 64;

    /// <summary>Sequences per forward pass when scoring reference log-probs.</summary>
    public int ScoringBatchSize { get; init; } = 16;

    /// <summary>Pairs per forward/backward pass in DPO (gradients of a global batch are accumulated over these).</summary>
    public int TrainingMicroBatchSize { get; init; } = 16;

    /// <summary>How often a working activity heartbeats its progress (the workflows' heartbeat timeouts are minutes).</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The <c>openai</c> backend's first wait before retrying a request; it doubles with each retry (up to a minute).</summary>
    public TimeSpan OpenAiFirstBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The least time between two training-progress signals to the iteration workflow.</summary>
    public TimeSpan ProgressSignalInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Seed SFT of the sandbox checkpoints every this many optimizer steps (and after the last).</summary>
    public int SeedCheckpointEverySteps { get; init; } = 100;

    /// <summary>Checkpoints per DPO run (evenly spaced; at least one per step for very short runs).</summary>
    public int DpoCheckpointsPerRun { get; init; } = 10;

    /// <summary>Prompts of a real run's label-free evaluation (taken from the end of the pool).</summary>
    public int RealEvaluationPrompts { get; init; } = 64;
}
