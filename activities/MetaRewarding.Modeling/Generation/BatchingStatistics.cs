namespace MetaRewarding.Modeling.Generation;

/// <summary>What a <see cref="ContinuousBatcher"/> has done so far (for benchmarks, logs and tests).</summary>
public sealed record BatchingStatistics
{
    /// <summary>Prompt positions computed by prefill forward passes.</summary>
    public long PrefillTokens { get; init; }

    /// <summary>Prompt positions copied from a shared prefix instead of computed.</summary>
    public long ReusedPrefixTokens { get; init; }

    /// <summary>Decoding steps (one forward pass over every running row each).</summary>
    public long DecodeSteps { get; init; }

    /// <summary>Rows summed over decoding steps: divided by <see cref="DecodeSteps"/>, the mean batch occupancy.</summary>
    public long RowSteps { get; init; }

    /// <summary>The most rows that decoded together in one step.</summary>
    public int PeakRows { get; init; }

    /// <summary>Completion tokens produced (end-of-sequence tokens included).</summary>
    public long GeneratedTokens { get; init; }

    /// <summary>Requests finished.</summary>
    public long Finished { get; init; }
}
