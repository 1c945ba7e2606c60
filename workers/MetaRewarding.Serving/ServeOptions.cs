namespace MetaRewarding.Serving;

/// <summary>How <c>metarewarding serve</c> listens and batches.</summary>
public sealed record ServeOptions
{
    /// <summary>The name <c>/v1/models</c> lists and requests must use; null: the model folder's full path (as <c>vllm serve DIR</c> names it).</summary>
    public string? ModelName { get; init; }

    /// <summary>Address to bind: loopback by default, so nothing outside the machine reaches an unauthenticated server.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>TCP port; 0 takes a free one (tests). 8000 is vLLM's default, so clients configured for vLLM work unchanged.</summary>
    public int Port { get; init; } = 8000;

    /// <summary>When set, every <c>/v1</c> request must carry <c>Authorization: Bearer {key}</c> (as vLLM's <c>--api-key</c>); else 401.</summary>
    public string? ApiKey { get; init; }

    /// <summary>Most rows decoded together across all requests.</summary>
    public int MaxBatchSize { get; init; } = 32;

    /// <summary>The KV cache's size in token positions (see the engine's batching options); null: batch size × the longest request.</summary>
    public long? KvCacheTokens { get; init; }

    /// <summary>Compute a prompt prefix shared by queued requests once.</summary>
    public bool SharePrefixes { get; init; } = true;
}
