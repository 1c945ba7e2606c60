using MetaRewarding.Alignment.Configuration;

namespace MetaRewarding.Activities.Contracts;

/// <summary>
/// The input of the run workflow. Either a real run (<see cref="BaseModel"/> + <see cref="Prompts"/>) or a
/// sandbox run (<see cref="Sandbox"/>). Paths are absolute, as the workers see them (a shared filesystem in a
/// cluster): <c>metarewarding start</c> resolves the configuration file's relative paths before starting.
/// </summary>
public sealed record RunInput
{
    /// <summary>Names the run's folder in the artifact store (<c>runs/{RunId}</c>); letters, digits, '-', '_', '.'.</summary>
    public required string RunId { get; init; }

    /// <summary>The schedule and every hyper-parameter, validated before any GPU time is spent.</summary>
    public required RunConfiguration Configuration { get; init; }

    /// <summary>Hugging Face model folder M_0 (config.json, safetensors, tokenizer). Null for a sandbox run.</summary>
    public string? BaseModel { get; init; }

    /// <summary>JSONL prompt pool (one <c>{"id", "prompt"}</c> per line). Null for a sandbox run.</summary>
    public string? Prompts { get; init; }

    /// <summary>Sandbox run settings; null for a real run.</summary>
    public SandboxOptions? Sandbox { get; init; }

    /// <summary>Who judges: the model (default) or, in the sandbox only, the ground-truth oracle.</summary>
    public JudgeMode JudgeMode { get; init; } = JudgeMode.Model;

    /// <summary>Who decides the meta-judge battles: the model (default) or, in the sandbox only, the truth.</summary>
    public MetaJudgeMode MetaJudgeMode { get; init; } = MetaJudgeMode.Model;

    /// <summary>
    /// An existing model folder to start from as M_0 (absolute, as the workers see it) instead of making one: how
    /// the arms of an experiment share one seed. Null: the base model (after seedSft), or the sandbox's seed SFT.
    /// </summary>
    public string? SeedModel { get; init; }

    /// <summary>Task queues the workflows send activities to.</summary>
    public TaskQueues TaskQueues { get; init; } = new();

    /// <summary>Heartbeat timeouts of the model activities; the defaults are production's (tests shorten them).</summary>
    public ActivityTimeouts Timeouts { get; init; } = new();
}
