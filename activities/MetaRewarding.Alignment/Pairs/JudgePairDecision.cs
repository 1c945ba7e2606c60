namespace MetaRewarding.Alignment.Pairs;

/// <summary>The chosen and rejected judgment indices of a battled response, or the reason it gave no pair.</summary>
public readonly record struct JudgePairDecision(int Chosen, int Rejected, PairSkipReason Skip)
{
    /// <summary>True when a pair was made.</summary>
    public bool IsPair => Skip == PairSkipReason.None;

    /// <summary>More than one judgment shared the top rating (within the tie tolerance); the lowest index was chosen.</summary>
    public bool TopTied { get; init; }

    /// <summary>More than one judgment shared the bottom rating (within the tie tolerance); the lowest index was rejected.</summary>
    public bool BottomTied { get; init; }

    public static JudgePairDecision Pair(int chosen, int rejected) => new(chosen, rejected, PairSkipReason.None);

    public static JudgePairDecision Skipped(PairSkipReason reason) => new(-1, -1, reason);
}
