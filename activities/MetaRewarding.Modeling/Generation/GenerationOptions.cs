namespace MetaRewarding.Modeling.Generation;

/// <summary>
/// Decoding settings of a request (a <see cref="TokenGenerator"/>.Generate call shares one for all its requests; a
/// <see cref="ContinuousBatcher"/> takes one per request). The batch fields (<see cref="BatchSize"/>,
/// <see cref="KvCacheTokens"/>, <see cref="SharePrefixes"/>) configure the generator of a Generate call.
/// </summary>
public sealed record GenerationOptions
{
    /// <summary>Upper bound on generated tokens per request (finish reason <see cref="FinishReason.Length"/>).</summary>
    public int MaxNewTokens { get; init; } = 256;

    /// <summary>Always take the most likely token (temperature, top-p and top-k are then ignored).</summary>
    public bool Greedy { get; init; }

    /// <summary>Softmax temperature; must be positive unless <see cref="Greedy"/>.</summary>
    public double Temperature { get; init; } = 1.0;

    /// <summary>Nucleus sampling: keep the smallest set of most likely tokens whose probability reaches this (1 = off).</summary>
    public double TopP { get; init; } = 1.0;

    /// <summary>Keep only the k most likely tokens (0 = off).</summary>
    public int TopK { get; init; }

    /// <summary>Token ids that end a completion (not included in it). Null: the model config's eos ids.</summary>
    public IReadOnlyList<int>? EosTokenIds { get; init; }

    /// <summary>Texts that end a completion (cut before the match); needs a decoder on the <see cref="TokenGenerator"/>.</summary>
    public IReadOnlyList<string> StopStrings { get; init; } = [];

    /// <summary>Rows decoded together; larger batches are faster per token until memory or compute saturate.</summary>
    public int BatchSize { get; init; } = 8;

    /// <summary>KV-cache size in token positions (see <see cref="BatchingOptions.KvCacheTokens"/>); null: batch size × the longest request.</summary>
    public long? KvCacheTokens { get; init; }

    /// <summary>Compute a prompt prefix shared by several requests once (see <see cref="BatchingOptions.SharePrefixes"/>).</summary>
    public bool SharePrefixes { get; init; } = true;

    /// <summary>Token used to left-pad prompts in <see cref="StaticBatchGenerator"/> (never attended to, so any valid id works).</summary>
    public int PadTokenId { get; init; }

    /// <summary>The batching of a Generate call over <paramref name="requests"/> requests.</summary>
    public BatchingOptions Batching(int requests) => new()
    {
        MaxBatchSize = Math.Max(1, Math.Min(BatchSize, requests)),
        KvCacheTokens = KvCacheTokens,
        SharePrefixes = SharePrefixes,
    };

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (MaxNewTokens < 1)
        {
            throw new ArgumentException($"max new tokens must be at least 1, got {MaxNewTokens}.");
        }
        if (!Greedy && !(Temperature > 0 && double.IsFinite(Temperature)))
        {
            throw new ArgumentException($"temperature must be positive for sampling, got {Temperature}; use greedy decoding for temperature 0.");
        }
        if (!(TopP > 0 && TopP <= 1))
        {
            throw new ArgumentException($"top-p must be in (0, 1], got {TopP}.");
        }
        if (TopK < 0)
        {
            throw new ArgumentException($"top-k must be 0 (off) or positive, got {TopK}.");
        }
        if (BatchSize < 1)
        {
            throw new ArgumentException($"batch size must be at least 1, got {BatchSize}.");
        }
        if (KvCacheTokens is < 1)
        {
            throw new ArgumentException($"KV cache tokens must be positive (or null for batch size × the longest request), got {KvCacheTokens}.");
        }
        if (StopStrings.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException("stop strings must not be empty.");
        }
    }
}
