namespace MetaRewarding.Alignment.Pairs;

/// <summary>
/// Judge pairs from Elo ratings (docs/ALGORITHM.md step 5f): chosen = argmax ε, rejected = argmin ε; dropped when the
/// ratings tie, the two texts are identical, or the chosen judgment is longer than the iteration's cap.
/// </summary>
public static class JudgePairSelector
{
    /// <summary>
    /// Ratings closer than this count as equal: well above the fit's numerical error (its gradient tolerance is
    /// 1e-10 and the penalty's curvature 1e-3, so ratings are good to ~1e-7), far below any real difference. [choice]
    /// </summary>
    public const double RatingTieTolerance = 1e-6;

    /// <summary>
    /// Selects the pair. Among ratings within <see cref="RatingTieTolerance"/> of the maximum (minimum) the lowest
    /// index is taken, so near-ties do not depend on rounding noise; such a tie is reported in the decision
    /// (<see cref="JudgePairDecision.TopTied"/>, <see cref="JudgePairDecision.BottomTied"/>) and counted in the
    /// iteration's metrics, not hidden.
    /// </summary>
    public static JudgePairDecision Select(ReadOnlySpan<double> ratings, IReadOnlyList<string> texts, ReadOnlySpan<int> lengths, int? chosenMaxLength)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (ratings.Length < 2 || texts.Count != ratings.Length || lengths.Length != ratings.Length)
        {
            throw new ArgumentException($"need ≥ 2 ratings with one text and one length each; got {ratings.Length} ratings, {texts.Count} texts, {lengths.Length} lengths");
        }

        var max = double.NegativeInfinity;
        var min = double.PositiveInfinity;
        foreach (var rating in ratings)
        {
            max = Math.Max(max, rating);
            min = Math.Min(min, rating);
        }

        if (max - min <= RatingTieTolerance)
        {
            return JudgePairDecision.Skipped(PairSkipReason.EloTie);
        }

        int chosen = -1, rejected = -1, top = 0, bottom = 0;
        for (var i = 0; i < ratings.Length; i++)
        {
            if (ratings[i] >= max - RatingTieTolerance)
            {
                chosen = chosen < 0 ? i : chosen;
                top++;
            }

            if (ratings[i] <= min + RatingTieTolerance)
            {
                rejected = rejected < 0 ? i : rejected;
                bottom++;
            }
        }

        var decision = string.Equals(texts[chosen], texts[rejected], StringComparison.Ordinal)
            ? JudgePairDecision.Skipped(PairSkipReason.IdenticalJudgments)
            : chosenMaxLength is { } cap && lengths[chosen] > cap
                ? JudgePairDecision.Skipped(PairSkipReason.ChosenJudgmentOverCap)
                : JudgePairDecision.Pair(chosen, rejected);
        return decision with { TopTied = top > 1, BottomTied = bottom > 1 };
    }
}
