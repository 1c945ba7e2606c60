namespace MetaRewarding.Alignment.Pairs;

/// <summary>The chosen and rejected candidate indices of a prompt, or the reason it gave no pair.</summary>
public readonly record struct ActorPairDecision(int Chosen, int Rejected, PairSkipReason Skip)
{
    /// <summary>True when a pair was made.</summary>
    public bool IsPair => Skip == PairSkipReason.None;

    public static ActorPairDecision Pair(int chosen, int rejected) => new(chosen, rejected, PairSkipReason.None);

    public static ActorPairDecision Skipped(PairSkipReason reason) => new(-1, -1, reason);
}
