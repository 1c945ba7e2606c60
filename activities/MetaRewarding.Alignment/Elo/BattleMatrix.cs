using MetaRewarding.Alignment.Parsing;

namespace MetaRewarding.Alignment.Elo;

/// <summary>
/// B[m,n] = ω1·[m beat n in position A] + ω2·[m beat n in position B] (docs/ALGORITHM.md step 5d), stored row-major
/// in a flat array of n×n (row m: m's weighted wins).
/// </summary>
public static class BattleMatrix
{
    /// <summary>
    /// Builds the matrix over <paramref name="judgmentCount"/> judgments. With
    /// <paramref name="requireConsistentVerdicts"/>, a pair's battles count only when both orders were judged and
    /// named the same winner; otherwise every valid battle counts. Invalid verdicts never count.
    /// </summary>
    public static double[] Build(int judgmentCount, ReadOnlySpan<BattleOutcome> outcomes, PositionalBiasWeights weights, bool requireConsistentVerdicts)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(judgmentCount);
        var matrix = new double[judgmentCount * judgmentCount];
        int[]? winnerByOrderedPair = null;
        if (requireConsistentVerdicts)
        {
            // winner of the battle with m in position A and n in position B, or −1 (none / invalid)
            winnerByOrderedPair = new int[judgmentCount * judgmentCount];
            Array.Fill(winnerByOrderedPair, -1);
            foreach (var outcome in outcomes)
            {
                CheckIndices(outcome.Battle, judgmentCount);
                winnerByOrderedPair[(outcome.Battle.First * judgmentCount) + outcome.Battle.Second] = outcome.WinnerIndex;
            }
        }

        foreach (var outcome in outcomes)
        {
            CheckIndices(outcome.Battle, judgmentCount);
            var winner = outcome.WinnerIndex;
            if (winner < 0)
            {
                continue;
            }

            if (winnerByOrderedPair is not null)
            {
                var reverse = winnerByOrderedPair[(outcome.Battle.Second * judgmentCount) + outcome.Battle.First];
                if (reverse != winner)
                {
                    continue;
                }
            }

            var weight = outcome.Winner == VerdictPosition.A ? weights.Omega1 : weights.Omega2;
            matrix[(winner * judgmentCount) + outcome.LoserIndex] += weight;
        }

        return matrix;
    }

    private static void CheckIndices(Battle battle, int judgmentCount)
    {
        if ((uint)battle.First >= (uint)judgmentCount || (uint)battle.Second >= (uint)judgmentCount || battle.First == battle.Second)
        {
            throw new ArgumentException($"battle ({battle.First}, {battle.Second}) is not a pair of distinct judgments among {judgmentCount}", nameof(battle));
        }
    }
}
