using MetaRewarding.Alignment.Elo;
using MetaRewarding.Alignment.Parsing;

namespace MetaRewarding.Alignment.Tests.Elo;

public class BattleTests
{
    [Fact]
    public void Create_ElevenJudgments_Plans110BattlesEachPairInBothOrders()
    {
        var plan = BattlePlan.Create(11);

        Assert.Equal(110, plan.Length);
        Assert.Equal(110, plan.Distinct().Count());
        Assert.All(plan, b => Assert.Contains(new Battle(b.Second, b.First), plan));
        Assert.All(Enumerable.Range(0, 11), j =>
        {
            Assert.Equal(10, plan.Count(b => b.First == j));
            Assert.Equal(10, plan.Count(b => b.Second == j));
        });
        Assert.Equal(new Battle(0, 1), plan[0]);
        Assert.Equal(new Battle(1, 0), plan[1]);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 0)]
    [InlineData(2, 2)]
    public void Create_FewJudgments_PlansNOrNMinusOneBattles(int n, int expected)
    {
        Assert.Equal(expected, BattlePlan.Create(n).Length);
    }

    [Fact]
    public void FromCounts_FirstPositionFavoured_DownWeightsFirstPositionWins()
    {
        // w1 = 3 wins in position A, w2 = 1 in position B: ω1 = 1/4, ω2 = 3/4.
        var weights = PositionalBiasWeights.FromCounts(3, 1);

        Assert.Equal(0.25, weights.Omega1);
        Assert.Equal(0.75, weights.Omega2);
        Assert.Equal(0.75, weights.FirstPositionRate);
    }

    [Fact]
    public void FromOutcomes_NoValidBattles_IsHalfHalf()
    {
        var weights = PositionalBiasWeights.FromOutcomes([new BattleOutcome(new Battle(0, 1), VerdictPosition.None)]);

        Assert.Equal((0.5, 0.5), (weights.Omega1, weights.Omega2));
        Assert.True(double.IsNaN(weights.FirstPositionRate));
    }

    [Fact]
    public void Build_WinsInEachPosition_AreWeightedByOmega()
    {
        var weights = PositionalBiasWeights.FromCounts(3, 1); // ω1 = 0.25, ω2 = 0.75
        BattleOutcome[] outcomes =
        [
            new(new Battle(0, 1), VerdictPosition.A), // 0 beats 1 in position A: + ω1
            new(new Battle(1, 0), VerdictPosition.B), // 0 beats 1 in position B: + ω2
            new(new Battle(1, 2), VerdictPosition.A), // 1 beats 2 in position A: + ω1
            new(new Battle(2, 1), VerdictPosition.None), // invalid: nothing
        ];

        var matrix = BattleMatrix.Build(3, outcomes, weights, requireConsistentVerdicts: false);

        Assert.Equal([0, 1.0, 0, 0, 0, 0.25, 0, 0, 0], matrix);
    }

    [Fact]
    public void Build_RequireConsistentVerdicts_CountsOnlyPairsWithTheSameWinnerInBothOrders()
    {
        var weights = PositionalBiasWeights.FromCounts(1, 1);
        BattleOutcome[] outcomes =
        [
            new(new Battle(0, 1), VerdictPosition.A), // 0 wins
            new(new Battle(1, 0), VerdictPosition.B), // 0 wins again: consistent
            new(new Battle(1, 2), VerdictPosition.A), // 1 wins
            new(new Battle(2, 1), VerdictPosition.A), // 2 wins: position bias, inconsistent
            new(new Battle(0, 2), VerdictPosition.A), // 0 wins, reverse order missing: not counted
        ];

        var consistent = BattleMatrix.Build(3, outcomes, weights, requireConsistentVerdicts: true);
        var all = BattleMatrix.Build(3, outcomes, weights, requireConsistentVerdicts: false);

        Assert.Equal([0, 1.0, 0, 0, 0, 0, 0, 0, 0], consistent);
        Assert.Equal([0, 1.0, 0.5, 0, 0, 0.5, 0, 0.5, 0], all);
    }

    [Fact]
    public void Build_BattleOutsideTheJudgments_Throws()
    {
        var weights = PositionalBiasWeights.FromCounts(1, 1);

        Assert.Throws<ArgumentException>(() => BattleMatrix.Build(2, [new BattleOutcome(new Battle(0, 2), VerdictPosition.A)], weights, false));
        Assert.Throws<ArgumentException>(() => BattleMatrix.Build(2, [new BattleOutcome(new Battle(1, 1), VerdictPosition.A)], weights, false));
    }
}
