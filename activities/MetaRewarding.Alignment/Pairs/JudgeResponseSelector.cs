namespace MetaRewarding.Alignment.Pairs;

/// <summary>
/// Picks, per prompt, the response whose judgments will be battled (docs/ALGORITHM.md step 5a): the one whose valid
/// judgment scores have the highest variance — where the judges disagree most, so the meta-judge has most to
/// teach. It needs ≥ 2 distinct valid judgments and a variance above 0 (judgments that all give the same score
/// leave nothing to settle, so such a response is never battled); exact ties are broken by the seeded
/// <see cref="DeterministicRandom"/>. Callers go through <see cref="BattleTarget.Select"/>, the one home of the rule.
/// </summary>
public static class JudgeResponseSelector
{
    /// <summary>
    /// Variances this close count as tied: the same scores summed in a different order can differ in the last
    /// bits, and such a difference must not decide instead of the seeded draw. [choice]
    /// </summary>
    public const double VarianceTieTolerance = 1e-12;

    /// <summary>The selected candidate index, or −1 when no response has two distinct valid judgments whose scores differ.</summary>
    public static int Select(ReadOnlySpan<JudgeCandidate> candidates, ref DeterministicRandom random)
    {
        var best = double.NegativeInfinity;
        foreach (var candidate in candidates)
        {
            if (IsEligible(candidate))
            {
                best = Math.Max(best, candidate.Score.Variance);
            }
        }

        if (double.IsNegativeInfinity(best))
        {
            return -1;
        }

        var ties = 0;
        foreach (var candidate in candidates)
        {
            if (IsTop(candidate, best))
            {
                ties++;
            }
        }

        // A clear winner needs no randomness; only a tie draws from the seeded generator.
        var pick = ties == 1 ? 0 : random.NextInt(ties);
        for (var i = 0; i < candidates.Length; i++)
        {
            if (IsTop(candidates[i], best) && pick-- == 0)
            {
                return i;
            }
        }

        throw new InvalidOperationException("unreachable: a tied candidate must exist");
    }

    private static bool IsEligible(JudgeCandidate candidate) =>
        candidate.DistinctValidJudgments >= 2 && candidate.Score.Variance > VarianceTieTolerance;

    private static bool IsTop(JudgeCandidate candidate, double best) =>
        IsEligible(candidate) && candidate.Score.Variance >= best - VarianceTieTolerance;
}
