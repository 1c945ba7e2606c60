namespace MetaRewarding.Modeling.Generation;

/// <summary>How a <see cref="ContinuousBatcher"/> fills its batch and its caches (engine-wide; sampling is per request).</summary>
public sealed record BatchingOptions
{
    /// <summary>Most rows decoded together; a finished row's place goes to the next waiting request at once.</summary>
    public int MaxBatchSize { get; init; } = 8;

    /// <summary>
    /// The KV cache's size in token positions (rows × positions per row, where a row needs prompt + max new tokens):
    /// fewer rows run when long requests would not fit. Null: <see cref="MaxBatchSize"/> rows of the longest request.
    /// </summary>
    public long? KvCacheTokens { get; init; }

    /// <summary>Reuse the keys and values of a prompt prefix that earlier requests already computed (greedy outputs are unchanged).</summary>
    public bool SharePrefixes { get; init; } = true;

    /// <summary>Positions kept for shared prefixes, besides the KV cache (least recently used first out).</summary>
    public long PrefixCacheTokens { get; init; } = 16_384;

    /// <summary>A shared prefix shorter than this is recomputed rather than copied (copying pays off from a few tokens on).</summary>
    public int MinSharedPrefixTokens { get; init; } = 8;

    /// <summary>Waiting requests looked at when deciding whether a prompt's prefix is worth keeping for later ones.</summary>
    public int LookAhead { get; init; } = 64;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (MaxBatchSize < 1)
        {
            throw new ArgumentException($"batch size must be at least 1, got {MaxBatchSize}.");
        }

        if (KvCacheTokens is < 1)
        {
            throw new ArgumentException($"KV cache tokens must be positive (or null for batch size × the longest request), got {KvCacheTokens}.");
        }

        if (PrefixCacheTokens < 0 || MinSharedPrefixTokens < 1 || LookAhead < 0)
        {
            throw new ArgumentException(
                $"prefix cache tokens and look-ahead must be >= 0 and the minimum shared prefix >= 1, got {PrefixCacheTokens}, {LookAhead} and {MinSharedPrefixTokens}.");
        }
    }
}
