using MetaRewarding.Alignment.Parsing;

namespace MetaRewarding.Alignment.Elo;

/// <summary>A battle and its parsed verdict (<see cref="VerdictPosition.None"/> when the verdict was invalid).</summary>
public readonly record struct BattleOutcome(Battle Battle, VerdictPosition Winner)
{
    /// <summary>The index of the winning judgment, or −1 when the verdict was invalid.</summary>
    public int WinnerIndex => Winner switch
    {
        VerdictPosition.A => Battle.First,
        VerdictPosition.B => Battle.Second,
        _ => -1,
    };

    /// <summary>The index of the losing judgment, or −1 when the verdict was invalid.</summary>
    public int LoserIndex => Winner switch
    {
        VerdictPosition.A => Battle.Second,
        VerdictPosition.B => Battle.First,
        _ => -1,
    };
}
