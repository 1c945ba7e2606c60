namespace MetaRewarding.Alignment.Elo;

/// <summary>
/// The meta-judge calls for one response (docs/ALGORITHM.md step 5b): every unordered pair (m, n), m &lt; n, in both
/// orders — (m, n) then (n, m) — so each judgment appears in each position equally often. N judgments give
/// N·(N−1) battles: 110 for N = 11.
/// </summary>
public static class BattlePlan
{
    /// <summary>The battles among <paramref name="judgmentCount"/> judgments, in a fixed order.</summary>
    public static Battle[] Create(int judgmentCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(judgmentCount);
        var battles = new Battle[judgmentCount * (judgmentCount - 1)];
        var next = 0;
        for (var m = 0; m < judgmentCount; m++)
        {
            for (var n = m + 1; n < judgmentCount; n++)
            {
                battles[next++] = new Battle(m, n);
                battles[next++] = new Battle(n, m);
            }
        }

        return battles;
    }
}
