using MetaRewarding.Alignment.Parsing;

namespace MetaRewarding.Alignment.Elo;

/// <summary>
/// ω1 and ω2 (docs/ALGORITHM.md step 5c), from the iteration's count of wins in the first position (w1) and in the
/// second (w2): ω1 = w2/(w1+w2), ω2 = w1/(w1+w2), and (0.5, 0.5) when there is no valid battle. A meta-judge
/// that favours position A gets its first-position wins down-weighted.
/// </summary>
public readonly record struct PositionalBiasWeights(double Omega1, double Omega2, long FirstPositionWins, long SecondPositionWins)
{
    /// <summary>Fraction of valid battles won by the judgment in the first position; NaN when there is none.</summary>
    public double FirstPositionRate => FirstPositionWins + SecondPositionWins == 0
        ? double.NaN
        : (double)FirstPositionWins / (FirstPositionWins + SecondPositionWins);

    /// <summary>The weights for the given win counts.</summary>
    public static PositionalBiasWeights FromCounts(long firstPositionWins, long secondPositionWins)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstPositionWins);
        ArgumentOutOfRangeException.ThrowIfNegative(secondPositionWins);
        var total = firstPositionWins + secondPositionWins;
        return total == 0
            ? new PositionalBiasWeights(0.5, 0.5, 0, 0)
            : new PositionalBiasWeights((double)secondPositionWins / total, (double)firstPositionWins / total, firstPositionWins, secondPositionWins);
    }

    /// <summary>The weights for a set of outcomes (the whole iteration's battles).</summary>
    public static PositionalBiasWeights FromOutcomes(IEnumerable<BattleOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        long first = 0, second = 0;
        foreach (var outcome in outcomes)
        {
            if (outcome.Winner == VerdictPosition.A)
            {
                first++;
            }
            else if (outcome.Winner == VerdictPosition.B)
            {
                second++;
            }
        }

        return FromCounts(first, second);
    }
}
