namespace MetaRewarding.Alignment.Configuration;

/// <summary>
/// Where a run's samples are generated (docs/GENERATION.md). <c>engine</c>: the worker's own engine. <c>openai</c>: the
/// generate, judge and meta-judge shards send <c>/v1/completions</c> requests to an OpenAI-compatible server that
/// serves the iteration's checkpoint; DPO log-probabilities and evaluation stay in the worker's engine.
/// </summary>
public sealed record GenerationSettings
{
    /// <summary>Who samples. [choice]</summary>
    public GenerationBackend Backend { get; init; } = GenerationBackend.Engine;

    /// <summary>The server's root URL (<c>http://host:8000</c>, or with <c>/v1</c>); required with <c>openai</c>.</summary>
    public string? BaseUrl { get; init; }

    /// <summary>
    /// The name the server serves the iteration's checkpoint under; <c>{iteration}</c> is replaced by the iteration's
    /// number (1-based). Null: the checkpoint folder's absolute path, as <c>vllm serve DIR</c> and
    /// <c>metarewarding serve --model DIR</c> name it.
    /// </summary>
    public string? Model { get; init; }

    /// <summary>Environment variable (on the workers) holding the API key, sent as a bearer token; null: none.</summary>
    public string? ApiKeyEnv { get; init; }

    /// <summary>Requests a shard keeps in flight at once. [choice]</summary>
    public int MaxConcurrency { get; init; } = 32;

    /// <summary>Seconds one request may take before it is retried. [choice]</summary>
    public double RequestTimeoutSeconds { get; init; } = 600;

    /// <summary>Retries of one request after a timeout, a lost connection, a 408, 429 or 5xx, with exponential backoff; then the activity fails and Temporal retries it. [choice]</summary>
    public int MaxRetries { get; init; } = 5;

    /// <summary>How prompts are sent. [choice]</summary>
    public PromptFormat PromptFormat { get; init; } = PromptFormat.TokenIds;

    /// <summary>The placeholder <see cref="Model"/> may contain.</summary>
    public const string IterationPlaceholder = "{iteration}";
}
