namespace MetaRewarding.Sandbox.Evaluation;

/// <summary>Spearman's rank correlation with ties: Pearson's correlation of the average ranks.</summary>
public static class RankCorrelation
{
    /// <summary>
    /// Spearman's ρ of <paramref name="x"/> and <paramref name="y"/>. Tied values share the mean of their ranks.
    /// Returns 0 when fewer than 2 pairs or when either side is constant: a judge that gives everything the same
    /// score carries no ranking information (a choice; the correlation is undefined there).
    /// </summary>
    public static double Spearman(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count)
        {
            throw new ArgumentException($"Spearman needs paired values, got {x.Count} and {y.Count}.", nameof(y));
        }

        if (x.Count < 2)
        {
            return 0;
        }

        return Pearson(AverageRanks(x), AverageRanks(y));
    }

    /// <summary>1-based ranks, ties sharing the mean of the ranks they span.</summary>
    public static double[] AverageRanks(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var order = Enumerable.Range(0, values.Count).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Count];
        var start = 0;
        while (start < order.Length)
        {
            var end = start;
            while (end + 1 < order.Length && values[order[end + 1]] == values[order[start]])
            {
                end++;
            }

            var rank = ((start + end) / 2.0) + 1;
            for (var k = start; k <= end; k++)
            {
                ranks[order[k]] = rank;
            }

            start = end + 1;
        }

        return ranks;
    }

    private static double Pearson(double[] a, double[] b)
    {
        var meanA = a.Average();
        var meanB = b.Average();
        double cov = 0, varA = 0, varB = 0;
        for (var i = 0; i < a.Length; i++)
        {
            cov += (a[i] - meanA) * (b[i] - meanB);
            varA += (a[i] - meanA) * (a[i] - meanA);
            varB += (b[i] - meanB) * (b[i] - meanB);
        }

        return varA == 0 || varB == 0 ? 0 : cov / Math.Sqrt(varA * varB);
    }
}
