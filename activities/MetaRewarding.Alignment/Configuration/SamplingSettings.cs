namespace MetaRewarding.Alignment.Configuration;

/// <summary>How one role (actor, judge or meta-judge) samples its completions.</summary>
public sealed record SamplingSettings
{
    /// <summary>Softmax temperature; 0 means greedy. Paper (actor): 0.8 [paper?].</summary>
    public double Temperature { get; init; } = 0.8;

    /// <summary>Nucleus sampling mass in (0, 1]; 1 disables it. Paper (actor): 0.95 [paper?].</summary>
    public double TopP { get; init; } = 0.95;

    /// <summary>Most tokens generated per completion; a completion cut here is kept as it is.</summary>
    public int MaxNewTokens { get; init; } = 1024;
}
