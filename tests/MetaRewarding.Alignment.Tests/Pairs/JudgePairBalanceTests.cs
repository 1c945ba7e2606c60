using MetaRewarding.Alignment.Configuration;
using MetaRewarding.Alignment.Pairs;

namespace MetaRewarding.Alignment.Tests.Pairs;

public class JudgePairBalanceTests
{
    [Fact]
    public void Select_NoCaps_KeepsEveryPair()
    {
        var reasons = JudgePairBalance.Select([5, 5, 5, 4], actorPairs: 1, new JudgePairSettings(), runSeed: 1, iteration: 1);

        Assert.All(reasons, r => Assert.Equal(PairSkipReason.None, r));
    }

    [Theory]
    [InlineData(0.5, 6, 6)] // J ≤ 0.5·(6 + J) ⇔ J ≤ 6
    [InlineData(0.25, 9, 3)] // J ≤ 0.25·(9 + J) ⇔ 0.75·J ≤ 2.25 ⇔ J ≤ 3
    [InlineData(0.2, 9, 2)] // 0.8·J ≤ 1.8 ⇔ J ≤ 2.25
    [InlineData(1.0, 0, int.MaxValue)]
    [InlineData(0.3, 0, 0)]
    public void ShareLimit_HandComputed(double share, long actorPairs, int expected)
    {
        Assert.Equal(expected, JudgePairBalance.ShareLimit(share, actorPairs));
    }

    [Fact]
    public void Select_ShareCap_KeepsThatManyChosenBySeedInOrder()
    {
        double[] scores = [5, 4, 5, 3, 5, 2, 5, 4, 5, 1];
        var settings = new JudgePairSettings { MaxShare = 0.25 };

        var reasons = JudgePairBalance.Select(scores, actorPairs: 9, settings, runSeed: 7, iteration: 2);
        var again = JudgePairBalance.Select(scores, actorPairs: 9, settings, runSeed: 7, iteration: 2);

        Assert.Equal(3, reasons.Count(r => r == PairSkipReason.None)); // 3 of 12 pairs = 25%
        Assert.Equal(7, reasons.Count(r => r == PairSkipReason.JudgeShareCap));
        Assert.Equal(reasons, again);
        var kept = Enumerable.Range(1, 20).Select(seed => string.Join(",", JudgePairBalance.Select(scores, 9, settings, seed, 2))).Distinct().Count();
        Assert.True(kept > 1, "the seed, not the index, picks the kept pairs");
    }

    [Fact]
    public void Select_ClassCapOf40Percent_HandComputed()
    {
        // 6 pairs choose a 5, 2 a 4, 1 a 3 (9 in all). T = 5: k = max(1, ⌊0.4·5⌋) = 2 → 2 + 2 + 1 = 5 ≥ 5, and no
        // T from 6 to 9 works (T = 6: k = 2, fills 5). So 5 kept: two 5s, both 4s, the 3; four 5s dropped.
        double[] scores = [5, 5, 4, 5, 3, 5, 5, 4, 5];
        var settings = new JudgePairSettings { MaxScoreClassShare = 0.4 };

        var reasons = JudgePairBalance.Select(scores, actorPairs: 100, settings, runSeed: 3, iteration: 1);

        var kept = scores.Where((_, i) => reasons[i] == PairSkipReason.None).ToList();
        Assert.Equal([4, 3, 4], kept.Where(s => s < 5)); // kept pairs keep their order
        Assert.Equal(2, kept.Count(s => s == 5));
        Assert.Equal(4, reasons.Count(r => r == PairSkipReason.ScoreClassCap));
    }

    [Fact]
    public void Select_BothCaps_ShareFirstThenClasses()
    {
        // Share: J ≤ 0.5·(4 + J) ⇔ J ≤ 4 of 9. Classes within 4: k = max(1, ⌊0.4·4⌋) = 1 → one per class, 3 classes: T = 3.
        double[] scores = [5, 5, 4, 5, 3, 5, 5, 4, 5];
        var settings = new JudgePairSettings { MaxShare = 0.5, MaxScoreClassShare = 0.4 };

        var reasons = JudgePairBalance.Select(scores, actorPairs: 4, settings, runSeed: 3, iteration: 1);

        Assert.Equal([3.0, 4, 5], scores.Where((_, i) => reasons[i] == PairSkipReason.None).Order());
        Assert.Equal(5, reasons.Count(r => r == PairSkipReason.JudgeShareCap));
        Assert.Equal(1, reasons.Count(r => r == PairSkipReason.ScoreClassCap));
    }

    [Fact]
    public void Select_OneClassUnderAClassCap_KeepsOnePair()
    {
        var reasons = JudgePairBalance.Select([5, 5, 5], 10, new JudgePairSettings { MaxScoreClassShare = 0.4 }, 1, 1);

        Assert.Equal(1, reasons.Count(r => r == PairSkipReason.None)); // k = max(1, ⌊0.4·1⌋) = 1; T = 2 would need k = 2
    }
}
