using MetaRewarding.Sandbox.Evaluation;
using MetaRewarding.Sandbox.Tasks;

namespace MetaRewarding.Sandbox.Tests.Evaluation;

public class ActorEvaluationTests
{
    // Tolerance 1e-12: every expected value is a small exact fraction.
    private const double Tolerance = 1e-12;

    [Theory]
    [InlineData(4, 1, 2, 0.5)] // 1 - C(3,2)/C(4,2) = 1 - 3/6
    [InlineData(4, 2, 2, 5.0 / 6)] // 1 - C(2,2)/C(4,2) = 1 - 1/6
    [InlineData(4, 0, 2, 0.0)]
    [InlineData(5, 3, 3, 1.0)] // only 2 wrong: any 3 samples include a right one
    [InlineData(4, 3, 1, 0.75)] // pass@1 = c/n
    [InlineData(10, 2, 5, 1 - (28.0 / 126))] // 1 - C(8,5)/C(10,5) = 1 - 56/252
    public void PassAtK_HandComputedCases_Match(int n, int c, int k, double expected)
    {
        Assert.Equal(expected, ActorEvaluation.PassAtK(n, c, k), Tolerance);
    }

    [Fact]
    public void Evaluate_TwoPrompts_MatchesHandCountedMetrics()
    {
        var prompts = new[]
        {
            // C 5 c e: samples scored 5, 4 (no prefix), 4 (too short), 5.
            new ActorSamples(new ConstraintTask(5, 'c', 'e'), "A: cabed", ["A: cabed", "cabed", "A: cabe", "A: cebad"]),

            // C 3 a b: greedy lacks b (4); samples scored 5, 3 (aaa), 4 (starts with b), 1 ("x").
            new ActorSamples(new ConstraintTask(3, 'a', 'b'), "A: acd", ["A: abd", "A: aaa", "A: bad", "x"]),
        };

        var metrics = ActorEvaluation.Evaluate(prompts, k: 2);

        Assert.Equal(2, metrics.Prompts);
        Assert.Equal(4, metrics.SamplesPerPrompt);
        Assert.Equal(0.5, metrics.GreedyAccuracy, Tolerance);
        Assert.Equal(3.0 / 8, metrics.SampledAccuracy, Tolerance);
        Assert.Equal(((5.0 / 6) + 0.5) / 2, metrics.PassAtK, Tolerance);
        Assert.Equal(4.5, metrics.MeanGreedyScore, Tolerance);
        Assert.Equal(31.0 / 8, metrics.MeanSampledScore, Tolerance);
        Assert.Equal([0.75, 0.75, 0.75, 0.75, 0.875], metrics.SampledCriterionRates);
    }

    [Fact]
    public void Evaluate_BadInput_ThrowsNamingTheProblem()
    {
        var task = new ConstraintTask(3, 'a', 'b');
        Assert.Throws<ArgumentException>(() => ActorEvaluation.Evaluate([], 1));
        Assert.Throws<ArgumentException>(() => ActorEvaluation.Evaluate([new ActorSamples(task, "", ["a"]), new ActorSamples(task, "", ["a", "b"])], 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ActorEvaluation.Evaluate([new ActorSamples(task, "", ["a"])], 2));
    }
}
