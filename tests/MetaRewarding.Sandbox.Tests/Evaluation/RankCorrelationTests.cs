using MetaRewarding.Sandbox.Evaluation;

namespace MetaRewarding.Sandbox.Tests.Evaluation;

public class RankCorrelationTests
{
    // Tolerance 1e-12: the hand-computed values are exact fractions; only floating-point rounding differs.
    private const double Tolerance = 1e-12;

    [Fact]
    public void AverageRanks_Ties_ShareTheMeanRank()
    {
        Assert.Equal([1, 2.5, 2.5, 4], RankCorrelation.AverageRanks([1, 2, 2, 3]));
        Assert.Equal([2, 2, 2], RankCorrelation.AverageRanks([7, 7, 7]));
    }

    [Fact]
    public void Spearman_TiedValues_MatchesHandComputation()
    {
        // x ranks [1, 2.5, 2.5, 4], y ranks [1, 3, 2, 4]: cov 4.5, var 4.5 and 5 -> 4.5 / sqrt(22.5).
        Assert.Equal(4.5 / Math.Sqrt(22.5), RankCorrelation.Spearman([1, 2, 2, 3], [1, 3, 2, 4]), Tolerance);
    }

    [Fact]
    public void Spearman_NoTies_MatchesTheTextbookFormula()
    {
        // ranks [4,3,2,1] vs [4,3,1,2]: sum d^2 = 2 -> 1 - 6*2/(4*(16-1)) = 0.8.
        Assert.Equal(0.8, RankCorrelation.Spearman([5, 4, 2.5, 2], [5, 3, 0, 2]), Tolerance);
    }

    [Fact]
    public void Spearman_DegenerateInputs_AreZeroOrPerfect()
    {
        Assert.Equal(1, RankCorrelation.Spearman([1, 1, 2], [5, 5, 9]), Tolerance);
        Assert.Equal(-1, RankCorrelation.Spearman([1, 2, 3], [3, 2, 1]), Tolerance);
        Assert.Equal(0, RankCorrelation.Spearman([1, 2, 3], [4, 4, 4]));
        Assert.Equal(0, RankCorrelation.Spearman([1], [2]));
        Assert.Throws<ArgumentException>(() => RankCorrelation.Spearman([1, 2], [1]));
    }
}
