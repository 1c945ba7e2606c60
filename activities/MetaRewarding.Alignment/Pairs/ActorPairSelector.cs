using MetaRewarding.Alignment.Configuration;

namespace MetaRewarding.Alignment.Pairs;

/// <summary>
/// Actor pairs with length control (docs/ALGORITHM.md step 4). With S_max / S_min the highest / lowest response score
/// of a prompt and ρ the iteration's knob:
/// chosen = the SHORTEST response scoring in [(1−ρ)·S_max + ρ·S_min, S_max];
/// rejected = the LONGEST response scoring in [S_min, (1−ρ)·S_min + ρ·S_max].
/// </summary>
/// <remarks>
/// Responses without a valid score, and truncated or skipped ones (<see cref="ActorCandidate.Complete"/>), take no part. Equal lengths are broken by the lower index (the order the
/// responses were sampled in), so the result is deterministic. A score within <see cref="TierTolerance"/> of a
/// tier bound counts as inside: a mean such as 3.72 must not fall out of [3.72, 5] by a rounding error.
/// </remarks>
public static class ActorPairSelector
{
    /// <summary>Slack on the tier bounds, far below the score resolution (1/N of a point). [choice]</summary>
    public const double TierTolerance = 1e-9;

    /// <summary>Selects the pair for one prompt, or says why there is none.</summary>
    public static ActorPairDecision Select(ReadOnlySpan<ActorCandidate> candidates, ActorPairSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var max = double.NegativeInfinity;
        var min = double.PositiveInfinity;
        foreach (var candidate in candidates)
        {
            if (candidate.Eligible)
            {
                max = Math.Max(max, candidate.Score.Mean);
                min = Math.Min(min, candidate.Score.Mean);
            }
        }

        if (double.IsNegativeInfinity(max))
        {
            return ActorPairDecision.Skipped(PairSkipReason.NoValidScores);
        }

        if (max - min <= TierTolerance)
        {
            return ActorPairDecision.Skipped(PairSkipReason.AllScoresEqual);
        }

        var rho = settings.Rho;
        var chosenFloor = ((1 - rho) * max) + (rho * min) - TierTolerance;
        var rejectedCeiling = ((1 - rho) * min) + (rho * max) + TierTolerance;
        var chosen = -1;
        var rejected = -1;
        for (var i = 0; i < candidates.Length; i++)
        {
            var candidate = candidates[i];
            if (!candidate.Eligible)
            {
                continue;
            }

            if (candidate.Score.Mean >= chosenFloor && (chosen < 0 || candidate.Length < candidates[chosen].Length))
            {
                chosen = i;
            }

            if (candidate.Score.Mean <= rejectedCeiling && (rejected < 0 || candidate.Length > candidates[rejected].Length))
            {
                rejected = i;
            }
        }

        if (chosen == rejected || string.Equals(candidates[chosen].Text, candidates[rejected].Text, StringComparison.Ordinal))
        {
            return ActorPairDecision.Skipped(PairSkipReason.ChosenEqualsRejected);
        }

        if (settings.ChosenMaxLength is { } cap && candidates[chosen].Length > cap)
        {
            return ActorPairDecision.Skipped(PairSkipReason.ChosenResponseOverCap);
        }

        if (candidates[chosen].Score.Mean - candidates[rejected].Score.Mean < settings.MinScoreGap)
        {
            return ActorPairDecision.Skipped(PairSkipReason.ScoreGapBelowMinimum);
        }

        return ActorPairDecision.Pair(chosen, rejected);
    }
}
