namespace MetaRewarding.Alignment.Pairs;

/// <summary>
/// Picks, per prompt, the response whose judgments will be battled (ALGORITHM.md step 5a): the one whose valid
/// judgment scores have the highest variance — where the judges disagree most, so the meta-judge has most to
/// teach. It needs ≥ 2 distinct valid judgments; exact ties are broken by the seeded <see cref="DeterministicRandom"/>.
/// </summary>
public static class JudgeResponseSelector
{
    /// <summary>The selected candidate index, or −1 when no response has two distinct valid judgments.</summary>
    public static int Select(ReadOnlySpan<JudgeCandidate> candidates, ref DeterministicRandom random)
    {
        var best = double.NegativeInfinity;
        var ties = 0;
        foreach (var candidate in candidates)
        {
            if (candidate.DistinctValidJudgments < 2)
            {
                continue;
            }

            if (candidate.Score.Variance > best)
            {
                best = candidate.Score.Variance;
                ties = 1;
            }
            else if (candidate.Score.Variance == best)
            {
                ties++;
            }
        }

        if (ties == 0)
        {
            return -1;
        }

        // Draw only when there is a tie, so the random stream is consumed identically on reruns either way.
        var pick = ties == 1 ? 0 : random.NextInt(ties);
        for (var i = 0; i < candidates.Length; i++)
        {
            if (candidates[i].DistinctValidJudgments >= 2 && candidates[i].Score.Variance == best && pick-- == 0)
            {
                return i;
            }
        }

        throw new InvalidOperationException("unreachable: a tied candidate must exist");
    }
}
